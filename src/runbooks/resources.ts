// The Task resources runbooks may use, in one table: the lint refuses any
// other, the local engine binds each to an aws/ adapter call in the right
// region, and a test checks the IAM runbook role grants each action.
//
// `kind` drives resume from the journal:
//   read       - re-run on resume (cheap, and the state may have moved on)
//   guard      - the fence: always re-run, it must prove the *current* epoch
//   idempotent - safe to repeat (same value written again)
//   once       - never repeated: a journaled output is replayed, and an
//                in-doubt call (before without after) is reconciled by a read

import type { RunbookInput } from "./input.js";

export type ResourceKind = "read" | "guard" | "idempotent" | "once" | "approval";

export interface RunbookResource {
  /** IAM action the runbook role needs. */
  action: string;
  kind: ResourceKind;
  /** Where the local engine sends the call (deployed, Step Functions calls its own region). */
  region: (input: RunbookInput, params: Record<string, unknown>) => string;
  /** Error-name prefix Step Functions uses for this service (Catch/Retry ErrorEquals). */
  errorPrefix: string;
}

const SDK = "arn:aws:states:::aws-sdk:";
/** What plans and call logs show for an ARC call's "region": the cluster's endpoints, not one region. */
export const ARC_CLUSTER = "arc-cluster";

function dimensionRegion(input: RunbookInput, params: Record<string, unknown>): string {
  const data = (params.MetricData as { Dimensions?: { Name?: string; Value?: string }[] }[] | undefined)?.[0];
  return data?.Dimensions?.find((d) => d.Name === "Region")?.Value ?? input.targetRegion;
}
const controlOrTarget = (input: RunbookInput, params: Record<string, unknown>) =>
  params.TableName === input.control.table ? input.control.region : input.targetRegion;

export const RUNBOOK_RESOURCES: Readonly<Record<string, RunbookResource>> = {
  [`${SDK}rds:failoverGlobalCluster`]: { action: "rds:FailoverGlobalCluster", kind: "once", region: (i) => i.targetRegion, errorPrefix: "Rds" },
  [`${SDK}rds:switchoverGlobalCluster`]: { action: "rds:SwitchoverGlobalCluster", kind: "once", region: (i) => i.fromRegion, errorPrefix: "Rds" },
  [`${SDK}rds:describeGlobalClusters`]: { action: "rds:DescribeGlobalClusters", kind: "read", region: (i) => i.targetRegion, errorPrefix: "Rds" },
  [`${SDK}route53:changeResourceRecordSets`]: { action: "route53:ChangeResourceRecordSets", kind: "idempotent", region: () => "us-east-1", errorPrefix: "Route53" },
  [`${SDK}route53:listResourceRecordSets`]: { action: "route53:ListResourceRecordSets", kind: "read", region: () => "us-east-1", errorPrefix: "Route53" },
  [`${SDK}route53:getChange`]: { action: "route53:GetChange", kind: "read", region: () => "us-east-1", errorPrefix: "Route53" },
  [`${SDK}dynamodb:updateItem`]: { action: "dynamodb:UpdateItem", kind: "guard", region: controlOrTarget, errorPrefix: "DynamoDb" },
  [`${SDK}dynamodb:describeTable`]: { action: "dynamodb:DescribeTable", kind: "read", region: controlOrTarget, errorPrefix: "DynamoDb" },
  [`${SDK}dynamodb:putItem.waitForTaskToken`]: { action: "dynamodb:PutItem", kind: "approval", region: (i) => i.control.region, errorPrefix: "DynamoDb" },
  // Step Functions names the service `route53recoverycluster`, errors `Route53RecoveryCluster.<Name>`
  // (supported-services-awssdk.html). The call goes to the ARC cluster's own
  // endpoints, tried in turn, not to a region of ours: "arc-cluster(<endpoint regions>)" in plans.
  // Idempotent: setting the same states again changes nothing.
  [`${SDK}route53recoverycluster:updateRoutingControlStates`]: {
    action: "route53-recovery-cluster:UpdateRoutingControlStates",
    kind: "idempotent",
    region: (i) => `${ARC_CLUSTER}(${(i.traffic.clusterEndpoints ?? []).map((e) => e.region).join(",")})`,
    errorPrefix: "Route53RecoveryCluster",
  },
  [`${SDK}cloudwatch:putMetricData`]: { action: "cloudwatch:PutMetricData", kind: "idempotent", region: dimensionRegion, errorPrefix: "CloudWatch" },
};

export const isAllowedResource = (arn: string): boolean => Object.hasOwn(RUNBOOK_RESOURCES, arn);
