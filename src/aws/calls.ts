// The registry of every AWS API call the adapters make, as data. It is the
// single source for two things that must never drift apart:
//   - awsCall() only accepts a registered name, so an adapter cannot make a
//     call that is not listed here without failing to compile;
//   - buildIamPolicies() grants exactly these actions, so a call listed here
//     always has its permission (test/aws/iam-coverage.test.ts drives every
//     adapter method and checks both directions).
// `role` says who makes the call: the controller process, the runbook (the
// Step Functions role, through AWS SDK service integrations), or both.
// `resource` names how IAM can scope the action; iam-policy.ts turns each
// scope into ARNs (or "*" plus a condition where IAM allows nothing finer).

export type CallRole = "controller" | "runbook" | "both";

export type CallResource =
  /** arn:aws:route53:::hostedzone/ID */
  | "hosted-zone"
  /** The hosted zone, narrowed by condition to the record names of the config. */
  | "hosted-zone-records"
  /** arn:aws:route53:::change/* (change ids are only known after the change). */
  | "route53-change"
  /** arn:aws:rds::ACCOUNT:global-cluster:NAME */
  | "global-cluster"
  /** The global cluster and its member clusters (IAM checks both for promotions). */
  | "global-cluster+member-clusters"
  | "member-clusters"
  /** App tables in every app region and the control table in its regions. */
  | "all-tables"
  | "control-table"
  /** IAM has no resource-level permissions for GetMetricData: "*". */
  | "metrics-read"
  /** Alarm ARNs of the config's alarm probes. */
  | "alarms"
  /** "*" with a cloudwatch:namespace condition. */
  | "metric-namespaces"
  /** arn:aws:states:REGION:ACCOUNT:stateMachine:PREFIX-* */
  | "state-machines"
  /** arn:aws:states:REGION:ACCOUNT:execution:PREFIX-*:* */
  | "executions"
  /** IAM defines no resource type for SendTask*: the token identifies the task. */
  | "task-tokens"
  /** arn:aws:sns:REGION:ACCOUNT:TOPIC, the notification topics of the config. */
  | "sns-topics"
  /** arn:aws:route53-recovery-control::ACCOUNT:controlpanel/ID/routingcontrol/ID of the config. */
  | "routing-controls";

export interface CallSpec {
  /** IAM action, which is also the name AwsCallError reports: `rds:FailoverGlobalCluster`. */
  action: string;
  resource: CallResource;
  role: CallRole;
  /** Permissions IAM checks in addition to the action itself. */
  requires?: readonly { action: string; resource: "runbook-role" }[];
}

export const ROUTE53_CALLS = [
  { action: "route53:ChangeResourceRecordSets", resource: "hosted-zone-records", role: "both" },
  { action: "route53:GetChange", resource: "route53-change", role: "both" },
  // The runbooks read the record before an UPSERT, to skip it when it already points at the target.
  { action: "route53:ListResourceRecordSets", resource: "hosted-zone", role: "both" },
] as const satisfies readonly CallSpec[];

export const AURORA_CALLS = [
  { action: "rds:DescribeGlobalClusters", resource: "global-cluster", role: "both" },
  { action: "rds:FailoverGlobalCluster", resource: "global-cluster+member-clusters", role: "runbook" },
  { action: "rds:SwitchoverGlobalCluster", resource: "global-cluster+member-clusters", role: "runbook" },
  { action: "rds:DescribeDBClusters", resource: "member-clusters", role: "both" },
] as const satisfies readonly CallSpec[];

export const DYNAMODB_CALLS = [
  { action: "dynamodb:DescribeTable", resource: "all-tables", role: "both" },
  // The runbook reads and advances the fencing epoch and records approval
  // tokens in the control table; only the controller queries it.
  { action: "dynamodb:GetItem", resource: "control-table", role: "both" },
  { action: "dynamodb:PutItem", resource: "control-table", role: "both" },
  { action: "dynamodb:UpdateItem", resource: "control-table", role: "both" },
  { action: "dynamodb:Query", resource: "control-table", role: "controller" },
] as const satisfies readonly CallSpec[];

export const CLOUDWATCH_CALLS = [
  { action: "cloudwatch:GetMetricData", resource: "metrics-read", role: "controller" },
  { action: "cloudwatch:DescribeAlarms", resource: "alarms", role: "controller" },
  // Controller metrics, and the kill-switch metric the runbook flips.
  { action: "cloudwatch:PutMetricData", resource: "metric-namespaces", role: "both" },
] as const satisfies readonly CallSpec[];

export const SFN_CALLS = [
  { action: "states:StartExecution", resource: "state-machines", role: "controller" },
  // A new lease holder finds (and stops) the previous holder's running execution of the incident.
  { action: "states:ListExecutions", resource: "state-machines", role: "controller" },
  { action: "states:DescribeExecution", resource: "executions", role: "controller" },
  { action: "states:GetExecutionHistory", resource: "executions", role: "controller" },
  { action: "states:StopExecution", resource: "executions", role: "controller" },
  { action: "states:SendTaskSuccess", resource: "task-tokens", role: "controller" },
  { action: "states:SendTaskFailure", resource: "task-tokens", role: "controller" },
  { action: "states:DescribeStateMachine", resource: "state-machines", role: "controller" },
  {
    action: "states:CreateStateMachine",
    resource: "state-machines",
    role: "controller",
    requires: [{ action: "iam:PassRole", resource: "runbook-role" }],
  },
  {
    action: "states:UpdateStateMachine",
    resource: "state-machines",
    role: "controller",
    requires: [{ action: "iam:PassRole", resource: "runbook-role" }],
  },
] as const satisfies readonly CallSpec[];

// Notifications: only the controller publishes (escalations, failovers, readiness).
export const SNS_CALLS = [{ action: "sns:Publish", resource: "sns-topics", role: "controller" }] as const satisfies readonly CallSpec[];
export const ARC_CALLS = [
  // The runbook flips (local engine: with the controller's credentials);
  // both read, the drill's readiness checks included.
  { action: "route53-recovery-cluster:UpdateRoutingControlStates", resource: "routing-controls", role: "runbook" },
  { action: "route53-recovery-cluster:GetRoutingControlState", resource: "routing-controls", role: "both" },
] as const satisfies readonly CallSpec[];

/** Every call any adapter makes. */
export const AWS_CALLS: readonly CallSpec[] = [
  ...ROUTE53_CALLS,
  ...AURORA_CALLS,
  ...DYNAMODB_CALLS,
  ...CLOUDWATCH_CALLS,
  ...SFN_CALLS,
  ...SNS_CALLS,
  ...ARC_CALLS,
];

/** The name of a registered call, e.g. `rds:FailoverGlobalCluster`. */
export type AwsCallName =
  | (typeof ROUTE53_CALLS)[number]["action"]
  | (typeof AURORA_CALLS)[number]["action"]
  | (typeof DYNAMODB_CALLS)[number]["action"]
  | (typeof CLOUDWATCH_CALLS)[number]["action"]
  | (typeof SFN_CALLS)[number]["action"]
  | (typeof SNS_CALLS)[number]["action"]
  | (typeof ARC_CALLS)[number]["action"];

/** The registry entry of a call; undefined for names that are not registered. */
export function callSpec(action: string): CallSpec | undefined {
  return AWS_CALLS.find((c) => c.action === action);
}

/**
 * The IAM action of an SDK command as aws-sdk-client-mock records it:
 * `("rds", "FailoverGlobalClusterCommand")` -> `rds:FailoverGlobalCluster`.
 */
export function actionOfCommand(iamPrefix: string, commandName: string): string {
  return `${iamPrefix}:${commandName.replace(/Command$/, "")}`;
}
