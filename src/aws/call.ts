// Every adapter method goes through awsCall(): whatever the SDK throws leaves
// as an AwsCallError naming the call and the region, with a `retryable` flag
// the control loop can trust (transient errors are retried by the loop,
// the rest stop the action and escalate).

import { AwsCallError, type Region } from "../core/index.js";
import type { AwsCallName } from "./calls.js";

/** Error names the SDKs and services use for throttling (retry with backoff). */
const THROTTLING_NAMES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "SlowDown",
  "EC2ThrottledException",
  "PriorRequestNotComplete",
  "TransactionInProgressException",
]);

/** Transient service or transport failures: the same request may succeed later. */
const TRANSIENT_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "InternalServerErrorException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);

/** Node socket error codes of a connection that failed or was cut. */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Whether the SDK error describes a failure worth retrying. */
export function isRetryableAwsError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as SdkErrorShape;
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) return true;
  const name = typeof e.name === "string" ? e.name : "";
  if (THROTTLING_NAMES.has(name) || TRANSIENT_NAMES.has(name)) return true;
  if (typeof e.code === "string" && TRANSIENT_SOCKET_CODES.has(e.code)) return true;
  if (e.$fault === "server") return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && (status >= 500 || status === 429)) return true;
  return false;
}

/** The service's error code (the SDK puts it in `name`). */
function codeOf(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === "string" && name !== "" && name !== "Error" ? name : undefined;
}

/**
 * Runs one SDK call; any error leaves as an AwsCallError naming `call` and
 * `region`. `fn` resolves to the SDK's output object, which the SDK always
 * provides: a nullish one (a broken middleware or mock) is refused here so
 * the adapters never dereference it.
 */
export async function awsCall<T extends object>(call: AwsCallName, region: Region, fn: () => Promise<T>): Promise<T> {
  let out: T | null | undefined;
  try {
    out = await fn();
  } catch (err) {
    throw toAwsCallError(call, region, err);
  }
  if (out === undefined || out === null) throw invalidResponse(call, region, "the SDK returned no output");
  return out;
}

export function toAwsCallError(call: AwsCallName, region: Region, err: unknown): AwsCallError {
  if (err instanceof AwsCallError) return err;
  return new AwsCallError({ call, region, retryable: isRetryableAwsError(err), code: codeOf(err), cause: err });
}

/**
 * A response the controller must not act on (a required field missing or
 * malformed). Never retryable: the same request returns the same answer.
 */
export function invalidResponse(call: AwsCallName, region: Region, what: string, code = "InvalidResponse"): AwsCallError {
  return new AwsCallError({ call, region, retryable: false, code, cause: new Error(what) });
}
