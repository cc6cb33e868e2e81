// The hook that feeds failover_aws_call_duration_seconds and
// failover_aws_call_errors_total: a middleware added to every SDK client the
// factory builds (`createAwsAdapters({ decorate: awsCallMetricsDecorator() })`).
// It sits at the top of the initialize step, so one observation covers the
// whole call as the controller waits for it, the SDK's retries included, and
// an error is counted once, with the code it finally failed with.

import type { HandlerExecutionContext, InitializeHandlerArguments, InitializeHandlerOutput, InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { actionOfCommand, type AwsServiceName, type ClientDecorator } from "../aws/index.js";
import { observeAwsCall } from "./metrics.js";

/** IAM prefix of each service: the call label matches AwsCallError's `call` (`rds:FailoverGlobalCluster`). */
const IAM_PREFIX: Readonly<Record<AwsServiceName, string>> = { route53: "route53", rds: "rds", dynamodb: "dynamodb", cloudwatch: "cloudwatch", sfn: "states", sns: "sns", "route53-recovery-cluster": "route53-recovery-cluster" };

export type AwsCallObserver = (call: string, region: string, durationMs: number, errorCode?: string) => void;

const MIDDLEWARE_NAME = "failoverCallMetrics";

/** The service's error code as the SDK reports it (the error's name), else the socket code. */
export function awsErrorCode(err: unknown): string {
  if (typeof err !== "object" || err === null) return "Unknown";
  const { name, code } = err as { name?: unknown; code?: unknown };
  if (typeof name === "string" && name !== "" && name !== "Error") return name;
  if (typeof code === "string" && code !== "") return code;
  return "Unknown";
}

/**
 * A `decorate` hook for createAwsAdapters. `observe` defaults to the
 * process-wide observeAwsCall(), which startDaemon points at its metrics.
 * `now` is a monotonic millisecond clock (performance.now by default).
 */
export function awsCallMetricsDecorator(observe: AwsCallObserver = observeAwsCall, now: () => number = () => performance.now()): ClientDecorator {
  return (client, service, region) => {
    const mw: InitializeMiddleware<object, MetadataBearer> =
      (next, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<MetadataBearer>> => {
        const name = (context as { commandName?: unknown }).commandName;
        const command = typeof name === "string" && name !== "" ? name : "Unknown";
        const call = actionOfCommand(IAM_PREFIX[service], command);
        const startedMs = now();
        try {
          const out = await next(args);
          observe(call, region, now() - startedMs);
          return out;
        } catch (err) {
          observe(call, region, now() - startedMs, awsErrorCode(err));
          throw err;
        }
      };
    // priority high: outermost in the initialize step, around any other middleware (the simulator's too).
    client.middlewareStack.add(mw, { step: "initialize", priority: "high", name: MIDDLEWARE_NAME, override: true });
  };
}

/** Several `decorate` hooks as one (the factory takes a single hook). */
export function composeDecorators(...decorators: readonly (ClientDecorator | undefined)[]): ClientDecorator {
  return (client, service, region) => {
    for (const d of decorators) d?.(client, service, region);
  };
}
