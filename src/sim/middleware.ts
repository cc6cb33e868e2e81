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
import { SNSServiceException } from "@aws-sdk/client-sns";
import { Route53RecoveryClusterServiceException } from "@aws-sdk/client-route53-recovery-cluster";
import type { AwsServiceName, ClientDecorator } from "../aws/index.js";
import { ROUTE53_CONTROL_REGION } from "../config/index.js";
import { SeededRandom, type Clock } from "../core/index.js";
import { answer } from "./services.js";
import type { World } from "./world.js";

export interface Caller {
  /** Region the calling controller runs in (partitions are between regions). */
  region: string;
  /** False once the caller crashed: its calls never complete. */
  alive(): boolean;
  /** The lease owner id this controller process writes (`<region>/i<instance>`), when it is a controller. */
  owner?: string;
}

// Only runbooks make these calls (a routing control flip included: heartbeats never touch the controls).
const MOVES = new Set(["FailoverGlobalClusterCommand", "SwitchoverGlobalClusterCommand", "ChangeResourceRecordSetsCommand", "UpdateRoutingControlStatesCommand"]);

/**
 * Calls that change which database takes writes or where clients go. Made by
 * a controller that does not hold the lease, they are what the lease and
 * fencing exist to prevent. A kill-switch write counts only when no heartbeat
 * could have made it: every controller vouches (1) for the control record's
 * active region and, cut off from the store, withdraws (0) that same region,
 * so only enabling another region is unmistakably a runbook's traffic move.
 */
function mutation(world: World, command: string, input: Record<string, unknown>): string | undefined {
  if (MOVES.has(command)) return command.replace(/Command$/, "");
  if (command !== "PutMetricDataCommand") return undefined;
  const active = world.controlActiveRegion();
  for (const d of (input.MetricData as { Value?: number; Dimensions?: { Name: string; Value: string }[] }[] | undefined) ?? []) {
    const region = d.Dimensions?.find((x) => x.Name === "Region")?.Value;
    if (!region) continue;
    if (d.Value === 1 && active !== undefined && region !== active) return `PutMetricData(kill switch 1 for ${region})`;
  }
  return undefined;
}

const TIMEOUT_MS = 5_000;
const BASE = { route53: Route53ServiceException, rds: RDSServiceException, dynamodb: DynamoDBServiceException, cloudwatch: CloudWatchServiceException, sfn: SFNServiceException, sns: SNSServiceException, "route53-recovery-cluster": Route53RecoveryClusterServiceException };
const THROTTLE_NAME = { route53: "Throttling", rds: "Throttling", dynamodb: "ThrottlingException", cloudwatch: "Throttling", sfn: "ThrottlingException", sns: "Throttled", "route53-recovery-cluster": "ThrottlingException" };
// SNS and an ARC cluster endpoint are regional APIs too: down with their region (and partitioned per region).
const DOWN_SERVICE = { rds: "aurora", dynamodb: "dynamodb", cloudwatch: "cloudwatch", sfn: "controller", sns: "controller", "route53-recovery-cluster": "controller" } as const;

/** Share of injected timeouts whose request reached the service and was applied. */
export const LANDED_TIMEOUT_RATE = 0.5;

export const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

// Draws added after the world's own (SNS latency for notifications, whether
// an injected timeout landed) come from streams of their own, one per world
// and salt, so adding them does not shift every other random draw of a
// seed's world, and a seed's verdict stays what it was without them.
const NOTIFY_SALT = 0x5eed5;
const LANDED_SALT = 0x1a4d3d;
const streams = new WeakMap<World, Map<number, SeededRandom>>();
function ownStream(world: World, salt: number): SeededRandom {
  let byWorld = streams.get(world);
  if (!byWorld) streams.set(world, (byWorld = new Map<number, SeededRandom>()));
  let r = byWorld.get(salt);
  if (!r) byWorld.set(salt, (r = new SeededRandom((world.scenario.seed ^ salt) >>> 0)));
  return r;
}
const randomFor = (world: World, service: AwsServiceName): SeededRandom => (service === "sns" ? ownStream(world, NOTIFY_SALT) : world.random);

/** The world answers the call; one made by a controller without the lease that moves writes or traffic is counted. */
function applyCall(world: World, caller: Caller, service: AwsServiceName, region: string, command: string, input: Record<string, unknown>): unknown {
  const output = answer(world, service, region, command, input);
  const holder = caller.owner ? world.leaseOwner() : undefined;
  const mutating = caller.owner && holder !== caller.owner ? mutation(world, command, input) : undefined;
  if (mutating) world.unleased.push({ atMs: world.nowMs, caller: caller.owner!, call: `${mutating} in ${region}`, ...(holder && { holder }) });
  return output;
}

/**
 * Builds an error the simulated world answers with, without capturing a stack
 * trace: it would only point into the simulator, and a dead region's
 * timeouts and failed probes are thousands per run (capturing the stack was
 * ~3 % of a sweep).
 */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function timeoutError(service: string, region: string): Error {
  const e = withoutStack(() => new Error(`${service} in ${region}: the request timed out (simulated)`));
  e.name = "TimeoutError";
  return e;
}

export function serviceError(service: AwsServiceName, kind: "throttle" | "5xx", message: string): Error {
  const Base = BASE[service];
  return withoutStack(() => new Base({
    name: kind === "throttle" ? THROTTLE_NAME[service] : "InternalFailure",
    $fault: kind === "throttle" ? "client" : "server",
    $metadata: { httpStatusCode: kind === "throttle" ? 400 : 500 },
    message,
  }));
}

/** Whether a call from `caller` to `service` in `region` reaches a live endpoint. */
function reachable(world: World, caller: Caller, service: AwsServiceName, region: string): boolean {
  if (service === "route53") return !world.faults.route53ControlPlaneDown() && !world.faults.partitioned(caller.region, ROUTE53_CONTROL_REGION);
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
        const random = randomFor(world, service);
        await clock.sleep(Math.round(random.jittered(latency.mean, latency.jitter)));
        if (!caller.alive()) return never();
        const injected = world.faults.apiError(service, service === "route53" ? ROUTE53_CONTROL_REGION : region, random);
        const input = (args.input ?? {}) as Record<string, unknown>;
        const up = reachable(world, caller, service, region);
        if (!up || injected === "timeout") {
          // An injected timeout on a reachable endpoint may have landed: AWS applied the request and
          // its answer was lost. The caller cannot tell, and a retry meets the effect (a promotion
          // already under way, a condition that no longer holds). An unreachable endpoint applies nothing.
          if (up && ownStream(world, LANDED_SALT).chance(LANDED_TIMEOUT_RATE)) {
            try {
              applyCall(world, caller, service, region, command, input);
            } catch {
              // The service's own refusal is lost with the answer too.
            }
          }
          await clock.sleep(TIMEOUT_MS);
          if (!caller.alive()) return never();
          throw timeoutError(service, region);
        }
        if (injected) {
          const err = serviceError(service, injected, `simulated ${injected} on ${command} in ${region}`);
          if (injected === "throttle") Object.assign(err, { $retryable: { throttling: true } });
          throw err;
        }
        return { output: { $metadata: {}, ...(applyCall(world, caller, service, region, command, input) as object) }, response: {} };
      },
      { step: "initialize", priority: "low", name: "simulatedAwsWorld", override: true },
    );
  };
}
