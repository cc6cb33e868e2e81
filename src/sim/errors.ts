// The errors the simulated world throws are the ones the real SDK would
// hand to the adapters: modeled exceptions are instances of the client
// package's class (so `instanceof` and `name` both work), unmodeled ones
// (e.g. RDS `Throttling`, which the RDS model does not declare) are the
// package's ServiceException base with the wire error code as `name`,
// exactly as the SDK's deserializer builds them. `$fault` follows the HTTP
// status (>= 500: server); `$retryable` is set only where the model's
// retryable trait sets it (test/sim/fidelity-errors.test.ts compares each
// shape with what the deserializer produces from a real HTTP error).

import { CloudWatchServiceException, InternalServiceFault } from "@aws-sdk/client-cloudwatch";
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ResourceNotFoundException,
  ThrottlingException as DynamoDbThrottlingException,
} from "@aws-sdk/client-dynamodb";
import {
  DBClusterNotFoundFault,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
} from "@aws-sdk/client-rds";
import { InvalidChangeBatch, NoSuchChange, NoSuchHealthCheck, NoSuchHostedZone, Route53ServiceException } from "@aws-sdk/client-route-53";
import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNServiceException, StateMachineDoesNotExist, TaskDoesNotExist } from "@aws-sdk/client-sfn";
import type { ResponseMetadata } from "@smithy/types";
import type { ApiService } from "./types.js";

export const metadata = (httpStatusCode: number, requestId: string): ResponseMetadata => ({
  httpStatusCode,
  requestId,
  attempts: 1,
  totalRetryDelay: 0,
});

type BaseCtor = new (opts: { name: string; $fault: "client" | "server"; $metadata: ResponseMetadata; message?: string }) => Error;

const BASE: Record<ApiService, BaseCtor> = {
  route53: Route53ServiceException,
  rds: RDSServiceException,
  dynamodb: DynamoDBServiceException,
  cloudwatch: CloudWatchServiceException,
  sfn: SFNServiceException,
};

/** An error code the service's model does not declare, as the SDK deserializes it. */
export function unmodeledError(service: ApiService, name: string, message: string, status: number, requestId: string): Error {
  const Ctor = BASE[service];
  const err = new Ctor({ name, $fault: status >= 500 ? "server" : "client", $metadata: metadata(status, requestId), message });
  return err;
}

/** The throttling error each service actually returns (wire error code). */
export function throttlingError(service: ApiService, requestId: string): Error {
  const $metadata = metadata(400, requestId);
  switch (service) {
    case "dynamodb":
      return new DynamoDbThrottlingException({ $metadata, message: "Rate exceeded" });
    case "sfn":
      return unmodeledError(service, "ThrottlingException", "Rate exceeded", 400, requestId);
    default:
      // Route 53, RDS and CloudWatch answer code `Throttling` (aws-apis.md).
      return unmodeledError(service, "Throttling", "Rate exceeded", 400, requestId);
  }
}

/** A 5xx answer from the service. */
export function serverError(service: ApiService, requestId: string): Error {
  switch (service) {
    case "dynamodb":
      return new InternalServerError({ $metadata: metadata(500, requestId), message: "Internal server error" });
    case "cloudwatch":
      return new InternalServiceFault({ $metadata: metadata(500, requestId), message: "Internal service fault", Message: "Internal service fault" });
    case "rds":
      return unmodeledError(service, "InternalFailure", "An internal error has occurred", 500, requestId);
    default:
      return unmodeledError(service, "ServiceUnavailable", "Service unavailable", 503, requestId);
  }
}

/** What NodeHttpHandler rejects with when `requestTimeout` passes (throwOnRequestTimeout). */
export function requestTimeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`@smithy/node-http-handler - request timed out after ${timeoutMs} ms (simulated endpoint did not answer)`), {
    name: "TimeoutError",
  });
}

// ---------- modeled errors the world's logic raises ----------

const m = (requestId: string, status = 400) => metadata(status, requestId);

export const rdsErrors = {
  invalidGlobalClusterState: (message: string, requestId: string) => new InvalidGlobalClusterStateFault({ $metadata: m(requestId), message }),
  invalidDbClusterState: (message: string, requestId: string) => new InvalidDBClusterStateFault({ $metadata: m(requestId), message }),
  globalClusterNotFound: (message: string, requestId: string) => new GlobalClusterNotFoundFault({ $metadata: m(requestId, 404), message }),
  dbClusterNotFound: (message: string, requestId: string) => new DBClusterNotFoundFault({ $metadata: m(requestId, 404), message }),
};

export const route53Errors = {
  noSuchHostedZone: (message: string, requestId: string) => new NoSuchHostedZone({ $metadata: m(requestId, 404), message }),
  invalidChangeBatch: (messages: string[], requestId: string) =>
    new InvalidChangeBatch({ $metadata: m(requestId), message: messages.join("; "), messages }),
  noSuchChange: (message: string, requestId: string) => new NoSuchChange({ $metadata: m(requestId, 404), message }),
  noSuchHealthCheck: (message: string, requestId: string) => new NoSuchHealthCheck({ $metadata: m(requestId, 404), message }),
};

export const dynamoDbErrors = {
  conditionalCheckFailed: (requestId: string) => new ConditionalCheckFailedException({ $metadata: m(requestId), message: "The conditional request failed" }),
  resourceNotFound: (message: string, requestId: string) => new ResourceNotFoundException({ $metadata: m(requestId), message }),
  validation: (message: string, requestId: string) => unmodeledError("dynamodb", "ValidationException", message, 400, requestId),
};

export const sfnErrors = {
  executionDoesNotExist: (message: string, requestId: string) => new ExecutionDoesNotExist({ $metadata: m(requestId), message }),
  executionAlreadyExists: (message: string, requestId: string) => new ExecutionAlreadyExists({ $metadata: m(requestId), message }),
  stateMachineDoesNotExist: (message: string, requestId: string) => new StateMachineDoesNotExist({ $metadata: m(requestId), message }),
  taskDoesNotExist: (message: string, requestId: string) => new TaskDoesNotExist({ $metadata: m(requestId), message }),
};

/** A command the world does not model: a client error that names it, never a silent success. */
export function unsupported(service: ApiService, command: string, requestId: string): Error {
  return unmodeledError(service, "UnsupportedOperation", `the simulated world does not model ${service}:${command}`, 400, requestId);
}
