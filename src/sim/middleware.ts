// The simulated world behind the real SDK clients: a middleware at the
// initialize step answers each command from the world (reference/aws-apis.md
// measured this answer point at ~15 us a call), after the simulated API
// latency on the virtual clock. Faults shape the answer: a region that is
// down, or a partition between the caller and that region, looks like a
// request that times out; injected API errors are real SDK service
// exceptions with $fault and $retryable set as AWS sets them.

import { CloudWatchServiceException } from "@aws-sdk/client-cloudwatch";
import { DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { RDSServiceException } from "@aws-sdk/client-rds";
import { Route53ServiceException } from "@aws-sdk/client-route-53";
import { SFNServiceException } from "@aws-sdk/client-sfn";
import { Route53RecoveryClusterServiceException } from "@aws-sdk/client-route53-recovery-cluster";
import type { AwsServiceName, ClientDecorator } from "../aws/index.js";
import type { Clock } from "../core/index.js";
import { answer } from "./services.js";
import type { World } from "./world.js";

export interface Caller {
  /** Region the calling controller runs in (partitions are between regions). */
  region: string;
  /** False once the caller crashed: its calls never complete. */
  alive(): boolean;
}

const TIMEOUT_MS = 5_000;
const BASE = { route53: Route53ServiceException, rds: RDSServiceException, dynamodb: DynamoDBServiceException, cloudwatch: CloudWatchServiceException, sfn: SFNServiceException, "route53-recovery-cluster": Route53RecoveryClusterServiceException };
const THROTTLE_NAME = { route53: "Throttling", rds: "Throttling", dynamodb: "ThrottlingException", cloudwatch: "Throttling", sfn: "ThrottlingException", "route53-recovery-cluster": "ThrottlingException" };
// An ARC cluster endpoint is one more regional API: down with its region (and partitioned per endpoint region).
const DOWN_SERVICE = { rds: "aurora", dynamodb: "dynamodb", cloudwatch: "cloudwatch", sfn: "controller", "route53-recovery-cluster": "controller" } as const;

export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function timeoutError(service: string, region: string): Error {
  const e = new Error(`${service} in ${region}: the request timed out (simulated)`);
  e.name = "TimeoutError";
  return e;
}

export function serviceError(service: AwsServiceName, kind: "throttle" | "5xx", message: string): Error {
  const Base = BASE[service];
  return new Base({
    name: kind === "throttle" ? THROTTLE_NAME[service] : "InternalFailure",
    $fault: kind === "throttle" ? "client" : "server",
    $metadata: { httpStatusCode: kind === "throttle" ? 400 : 500 },
    message,
  });
}

/** Whether a call from `caller` to `service` in `region` reaches a live endpoint. */
function reachable(world: World, caller: Caller, service: AwsServiceName, region: string): boolean {
  if (service === "route53") return !world.faults.route53ControlPlaneDown() && !world.faults.partitioned(caller.region, "us-east-1");
  if (world.faults.partitioned(caller.region, region)) return false;
  return !world.faults.regionDown(region, DOWN_SERVICE[service]);
}

export function simDecorator(world: World, caller: Caller, clock: Clock): ClientDecorator {
  const latency = world.scenario.world.api.latency;
  return (client, service, region) => {
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName);
        world.calls++;
        if (!caller.alive()) return never();
        await clock.sleep(Math.round(world.random.jittered(latency.mean, latency.jitter)));
        if (!caller.alive()) return never();
        const injected = world.faults.apiError(service, service === "route53" ? "us-east-1" : region, world.random);
        if (!reachable(world, caller, service, region) || injected === "timeout") {
          await clock.sleep(TIMEOUT_MS);
          if (!caller.alive()) return never();
          throw timeoutError(service, region);
        }
        if (injected) {
          const err = serviceError(service, injected, `simulated ${injected} on ${command} in ${region}`);
          if (injected === "throttle") Object.assign(err, { $retryable: { throttling: true } });
          throw err;
        }
        const output = answer(world, service, region, command, (args.input ?? {}) as Record<string, unknown>);
        return { output: { $metadata: {}, ...(output as object) }, response: {} };
      },
      { step: "initialize", priority: "low", name: "simulatedAwsWorld", override: true },
    );
  };
}
