// Narrow interfaces, one per AWS service, holding only the calls the
// controller and runbooks make (in the style of external-dns's Route53API).
// Production adapters implement them over SDK v3 clients; tests use
// aws-sdk-client-mock behind those adapters, and the simulated world answers
// the same SDK clients from memory. Every method throws AwsCallError only.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Region } from "../core/index.js";

// ---------- Route 53 (control plane, always us-east-1) ----------

export type RecordChangeAction = "CREATE" | "DELETE" | "UPSERT";

export interface RecordSet {
  name: string;
  type: "A" | "AAAA" | "CNAME" | "TXT";
  setIdentifier?: string;
  failover?: "PRIMARY" | "SECONDARY";
  weight?: number;
  region?: Region;
  ttlSeconds?: number;
  values?: string[];
  aliasTarget?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  healthCheckId?: string;
}

export interface RecordChange {
  action: RecordChangeAction;
  record: RecordSet;
}

export type ChangeStatus = "PENDING" | "INSYNC";

export interface Route53Api {
  readonly region: Region;
  changeResourceRecordSets(input: {
    hostedZoneId: string;
    changes: RecordChange[];
    comment?: string;
  }): Promise<{ changeId: string; status: ChangeStatus }>;
  getChange(changeId: string): Promise<ChangeStatus>;
  /** All record sets of the zone, optionally only those named `name` (follows pagination). */
  listResourceRecordSets(hostedZoneId: string, name?: string): Promise<RecordSet[]>;
}

// ---------- Aurora global database (RDS) ----------

export interface GlobalClusterMember {
  clusterArn: string;
  /** Parsed from the ARN. */
  region: Region;
  isWriter: boolean;
  synchronizationStatus?: string;
}

export interface GlobalClusterFailoverState {
  /** pending | failing-over | switching-over | cancelling (kept as a string on purpose). */
  status: string;
  fromClusterArn?: string;
  toClusterArn?: string;
  dataLossAllowed?: boolean;
}

export interface GlobalClusterState {
  id: string;
  status: string;
  members: GlobalClusterMember[];
  /** Present only while a switchover/failover is pending or running. */
  failoverState?: GlobalClusterFailoverState;
}

export interface AuroraApi {
  readonly region: Region;
  describeGlobalCluster(globalClusterId: string): Promise<GlobalClusterState>;
  /** Unplanned: always sends AllowDataLoss: true. Must be called in the target region. */
  failoverGlobalCluster(input: { globalClusterId: string; targetClusterArn: string }): Promise<GlobalClusterState>;
  /** Planned, RPO 0. Must be called in the current primary's region. */
  switchoverGlobalCluster(input: { globalClusterId: string; targetClusterArn: string }): Promise<GlobalClusterState>;
  describeDbClusterStatus(clusterArn: string): Promise<string>;
}

// ---------- DynamoDB ----------

export type Item = Record<string, AttributeValue>;

export interface TableDescription {
  name: string;
  status: string;
  replicas: { region: Region; status: string }[];
  consistency: "EVENTUAL" | "STRONG";
}

export interface DynamoDbApi {
  readonly region: Region;
  describeTable(tableName: string): Promise<TableDescription>;
  getItem(input: { tableName: string; key: Item; consistentRead: boolean }): Promise<Item | undefined>;
  putItem(input: {
    tableName: string;
    item: Item;
    conditionExpression?: string;
    names?: Record<string, string>;
    values?: Item;
  }): Promise<void>;
  /** Returns ALL_NEW attributes. A failed condition throws AwsCallError with code ConditionalCheckFailedException. */
  updateItem(input: {
    tableName: string;
    key: Item;
    updateExpression: string;
    conditionExpression?: string;
    names?: Record<string, string>;
    values?: Item;
  }): Promise<Item>;
  query(input: {
    tableName: string;
    keyConditionExpression: string;
    names?: Record<string, string>;
    values: Item;
    consistentRead: boolean;
    limit?: number;
    scanForward?: boolean;
  }): Promise<Item[]>;
}

// ---------- CloudWatch ----------

export interface MetricQuery {
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  periodSeconds: number;
  stat: "Average" | "Maximum" | "Minimum" | "Sum" | "SampleCount";
}

export interface MetricResult {
  id: string;
  /** Newest first, as CloudWatch returns them by default. */
  timestampsMs: number[];
  values: number[];
  status: string;
}

export interface MetricDatum {
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  timestampMs: number;
  unit?: "Count" | "Milliseconds" | "None";
}

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface CloudWatchApi {
  readonly region: Region;
  /** One call for all of a cycle's queries (<= 500). */
  getMetricData(input: { queries: MetricQuery[]; startMs: number; endMs: number }): Promise<MetricResult[]>;
  describeAlarms(alarmNames: string[]): Promise<{ name: string; state: AlarmStateValue; updatedMs?: number }[]>;
  putMetricData(input: { namespace: string; data: MetricDatum[] }): Promise<void>;
}

// ---------- Step Functions ----------

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

export interface ExecutionDescription {
  executionArn: string;
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  startMs?: number;
  stopMs?: number;
}

/** The state an execution is in, read from its history (newest state entered, not yet exited). */
export interface ExecutionPosition {
  /** Undefined when the history holds no state entered yet. */
  state?: string;
  /** When that state was entered. */
  enteredMs?: number;
  /** Type of the newest history event (e.g. TaskStateEntered, ExecutionSucceeded). */
  lastEvent?: string;
}

export interface StateMachineDescription {
  arn: string;
  definition: string;
  roleArn: string;
}

export interface SfnApi {
  readonly region: Region;
  startExecution(input: { stateMachineArn: string; name: string; input: string }): Promise<{ executionArn: string }>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /**
   * Executions of a state machine with this status, newest first: the first
   * page (up to 100), or with `maxPages` all of them, page after page (a
   * TooManyExecutions error when there are more pages than that).
   */
  listExecutions(input: { stateMachineArn: string; status?: ExecutionStatus; maxPages?: number }): Promise<{ executionArn: string; name: string; status: ExecutionStatus }[]>;
  /** The newest page of the history (reverse order), reduced to where the execution is. */
  getExecutionPosition(executionArn: string): Promise<ExecutionPosition>;
  stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<void>;
  sendTaskSuccess(input: { taskToken: string; output: string }): Promise<void>;
  sendTaskFailure(input: { taskToken: string; error: string; cause?: string }): Promise<void>;
  /** Undefined when the state machine does not exist. */
  describeStateMachine(stateMachineArn: string): Promise<StateMachineDescription | undefined>;
  createStateMachine(input: { name: string; definition: string; roleArn: string }): Promise<{ arn: string }>;
  updateStateMachine(input: { arn: string; definition: string; roleArn: string }): Promise<void>;
}

// ---------- SNS (notifications) ----------

export interface SnsApi {
  readonly region: Region;
  /** Publishes one message to a topic of this region; resolves once SNS accepted it. */
  publish(input: { topicArn: string; subject: string; message: string; attributes?: Record<string, string> }): Promise<{ messageId: string }>;
}

// ---------- Route 53 ARC routing controls (cluster data plane) ----------

/** One of a cluster's regional endpoints (DescribeCluster's ClusterEndpoints). */
export interface ArcEndpoint {
  region: Region;
  /** The cluster's own URL in that region, e.g. https://host-aaaaaa.us-west-2.example.com/v1. */
  endpoint: string;
}

export type RoutingControlState = "On" | "Off";

export interface RoutingControlApi {
  readonly endpoints: readonly ArcEndpoint[];
  /** Tries the endpoints in turn (random order); `endpointRegion` is the one that answered. */
  getRoutingControlState(routingControlArn: string): Promise<{ state: RoutingControlState; endpointRegion: Region }>;
  /**
   * Every entry in one call (safety rules are evaluated on the whole change).
   * `safetyRulesToOverride` only on an operator's explicit override.
   * A safety rule refusing the change throws AwsCallError code ConflictException.
   */
  updateRoutingControlStates(input: {
    entries: { arn: string; state: RoutingControlState }[];
    safetyRulesToOverride?: readonly string[];
  }): Promise<{ endpointRegion: Region }>;
}

// ---------- All of them, per region ----------

/** The adapters for one region. Route 53 is global: its client always talks to us-east-1. */
export interface RegionAdapters {
  region: Region;
  aurora: AuroraApi;
  dynamodb: DynamoDbApi;
  cloudwatch: CloudWatchApi;
  sfn: SfnApi;
  sns: SnsApi;
}

export interface AwsAdapters {
  route53: Route53Api;
  /** Adapters bound to a region (cached: one client per service and region). */
  region(region: Region): RegionAdapters;
  /**
   * The routing controls of an ARC cluster, reached on its own endpoints
   * (cached per endpoint list). Optional so in-memory twins without ARC
   * still satisfy the interface; the client factory always provides it.
   */
  routingControl?(endpoints: readonly ArcEndpoint[]): RoutingControlApi;
}
