// The public API of aws/: ports, adapters, the client factory, the call
// registry and the IAM policy builder.
export type * from "./ports.js";
export { parseArn, regionOfArn, partitionOf, type ParsedArn } from "./arn.js";
export { awsCall, isRetryableAwsError, invalidResponse, toAwsCallError } from "./call.js";
export {
  AWS_CALLS,
  ARC_CALLS,
  AURORA_CALLS,
  CLOUDWATCH_CALLS,
  DYNAMODB_CALLS,
  ROUTE53_CALLS,
  SFN_CALLS,
  SNS_CALLS,
  actionOfCommand,
  callSpec,
  type AwsCallName,
  type CallResource,
  type CallRole,
  type CallSpec,
} from "./calls.js";
export { createRoute53Adapter, normalizeName } from "./route53.js";
export { createAuroraAdapter, parseGlobalCluster } from "./aurora.js";
export { createDynamoDbAdapter } from "./dynamodb.js";
export { createCloudWatchAdapter } from "./cloudwatch.js";
export { createSfnAdapter } from "./sfn.js";
export { createSnsAdapter, snsSubject } from "./sns.js";
export { createRoutingControlAdapter, shuffledEndpoints } from "./arc.js";
export {
  AWS_SERVICE_IDS,
  ROUTE53_REGION,
  createAwsAdapters,
  endpointFromEnv,
  type AwsAdaptersHandle,
  type AwsClientOptions,
  type AwsCredentials,
  type AwsServiceName,
  type ClientDecorator,
  type DecoratableClient,
} from "./clients.js";
export {
  buildIamPolicies,
  type IamPolicies,
  type IamPolicyInput,
  type PolicyDocument,
  type PolicyStatement,
} from "./iam-policy.js";
