// A small in-memory AWS for runbook tests: records every call with its
// region, applies promotions after a number of polls, fences on the epoch,
// and lets a test inject errors per call.
import { AwsCallError } from "../../src/core/index.js";
import type { AwsAdapters, GlobalClusterState, Item } from "../../src/aws/index.js";
import type { RunbookInput } from "../../src/runbooks/input.js";

export interface Recorded {
  call: string;
  region: string;
}

export class FakeAws {
  calls: Recorded[] = [];
  epoch = 1;
  writerArn: string;
  failover?: { to: string; pollsLeft: number };
  killSwitch: Record<string, number> = {};
  activeRegion?: string;
  changes: string[] = [];
  /** What the traffic record points at (records strategy), once an UPSERT changed it. */
  recordValue?: string;
  changePolls = 0;
  approvalItems: Item[] = [];
  /** call name -> errors to throw on the next calls (one per call). */
  inject = new Map<string, AwsCallError[]>();
  promotionPolls = 2;
  /** The next promotion call is applied by Aurora, but its answer is lost (a timeout after the request landed). */
  promotionLandsUnanswered = false;
  /** ARC routing controls: ARN -> state, and each UpdateRoutingControlStates call's entries. */
  controls: Record<string, "On" | "Off"> = {};
  controlUpdates: { entries: { arn: string; state: "On" | "Off" }[]; safetyRulesToOverride?: readonly string[] }[] = [];

  constructor(readonly input: RunbookInput) {
    this.writerArn = input.fromClusterArn;
  }

  error(call: string, code: string, retryable: boolean, times = 1): void {
    const list = this.inject.get(call) ?? [];
    for (let i = 0; i < times; i++) list.push(new AwsCallError({ call, region: "?", retryable, code, cause: new Error(code) }));
    this.inject.set(call, list);
  }

  /** Called with each call's name as it is made (a test's hook to change the world at an exact step). */
  onCall?: (call: string) => void;

  private record(call: string, region: string): void {
    this.calls.push({ call, region });
    this.onCall?.(call);
    const e = this.inject.get(call)?.shift();
    if (e) throw e;
  }

  private state(): GlobalClusterState {
    const i = this.input;
    return {
      id: i.globalClusterId,
      status: "available",
      members: [
        { clusterArn: i.fromClusterArn, region: i.fromRegion, isWriter: this.writerArn === i.fromClusterArn },
        { clusterArn: i.targetClusterArn, region: i.targetRegion, isWriter: this.writerArn === i.targetClusterArn },
      ],
      ...(this.failover && { failoverState: { status: "failing-over", toClusterArn: this.failover.to } }),
    };
  }

  adapters(): AwsAdapters {
    const region = (r: string) => ({
      region: r,
      aurora: {
        region: r,
        describeGlobalCluster: async () => {
          this.record("rds:DescribeGlobalClusters", r);
          if (this.failover && --this.failover.pollsLeft <= 0) {
            this.writerArn = this.failover.to;
            delete this.failover;
          }
          return this.state();
        },
        failoverGlobalCluster: async ({ targetClusterArn }: { targetClusterArn: string }) => {
          this.record("rds:FailoverGlobalCluster", r);
          // As Aurora does: no second promotion while one is under way.
          if (this.failover) throw new AwsCallError({ call: "rds:FailoverGlobalCluster", region: r, retryable: false, code: "InvalidGlobalClusterStateFault", cause: new Error("a failover is in progress") });
          this.failover = { to: targetClusterArn, pollsLeft: this.promotionPolls };
          if (this.promotionLandsUnanswered) {
            this.promotionLandsUnanswered = false;
            throw new AwsCallError({ call: "rds:FailoverGlobalCluster", region: r, retryable: false, code: "TimeoutError", cause: new Error("socket timeout") });
          }
          return this.state();
        },
        switchoverGlobalCluster: async ({ targetClusterArn }: { targetClusterArn: string }) => {
          this.record("rds:SwitchoverGlobalCluster", r);
          this.failover = { to: targetClusterArn, pollsLeft: this.promotionPolls };
          return this.state();
        },
        describeDbClusterStatus: async () => "available",
      },
      dynamodb: {
        region: r,
        describeTable: async (name: string) => {
          this.record("dynamodb:DescribeTable", r);
          return { name, status: "ACTIVE", consistency: "EVENTUAL" as const, replicas: [{ region: this.input.fromRegion, status: "ACTIVE" }, { region: this.input.targetRegion, status: "ACTIVE" }] };
        },
        updateItem: async ({ updateExpression, values }: { updateExpression: string; values?: Item }) => {
          this.record(`dynamodb:UpdateItem(${updateExpression.split(" ")[1]})`, r);
          if (values?.[":epoch"]?.N !== String(this.epoch)) {
            throw new AwsCallError({ call: "dynamodb:UpdateItem", region: r, retryable: false, code: "ConditionalCheckFailedException", cause: new Error("condition") });
          }
          if (values[":region"]?.S) this.activeRegion = values[":region"].S;
          return {};
        },
        putItem: async ({ item }: { item: Item }) => {
          this.record("dynamodb:PutItem", r);
          this.approvalItems.push(item);
        },
        getItem: async () => undefined,
        query: async () => [],
      },
      cloudwatch: {
        region: r,
        putMetricData: async ({ data }: { data: { dimensions: Record<string, string>; value: number }[] }) => {
          this.record("cloudwatch:PutMetricData", r);
          for (const d of data) this.killSwitch[d.dimensions.Region!] = d.value;
        },
        getMetricData: async () => [],
        describeAlarms: async () => [],
      },
      sfn: {},
    });
    return {
      route53: {
        region: "us-east-1",
        changeResourceRecordSets: async ({ changes }: { changes: { record: { values?: string[] } }[] }) => {
          this.record("route53:ChangeResourceRecordSets", "us-east-1");
          this.recordValue = changes[0]?.record.values?.[0];
          this.changes.push("c1");
          return { changeId: "/change/C1", status: "PENDING" as const };
        },
        getChange: async () => {
          this.record("route53:GetChange", "us-east-1");
          return ++this.changePolls >= 2 ? ("INSYNC" as const) : ("PENDING" as const);
        },
        listResourceRecordSets: async () => {
          this.record("route53:ListResourceRecordSets", "us-east-1");
          const i = this.input.traffic;
          return this.recordValue === undefined ? [] : [{ name: `${i.record}.`, type: i.recordType as "CNAME", ttlSeconds: i.ttlSeconds, values: [this.recordValue] }];
        },
      },
      region: region as unknown as AwsAdapters["region"],
      routingControl: (endpoints) => ({
        endpoints,
        getRoutingControlState: async (arn) => {
          this.record("route53-recovery-cluster:GetRoutingControlState", "arc");
          return { state: this.controls[arn] ?? "Off", endpointRegion: endpoints[0]!.region };
        },
        updateRoutingControlStates: async (input) => {
          this.record("route53-recovery-cluster:UpdateRoutingControlStates", "arc");
          this.controlUpdates.push(input);
          for (const e of input.entries) this.controls[e.arn] = e.state;
          return { endpointRegion: endpoints[0]!.region };
        },
      }),
    };
  }
}

export function runbookInput(over: Partial<RunbookInput> = {}): RunbookInput {
  return {
    incidentId: "inc-1",
    epoch: 1,
    application: "orders",
    globalClusterId: "orders-global",
    fromRegion: "us-east-1",
    fromClusterArn: "arn:aws:rds:us-east-1:111122223333:cluster:orders-use1",
    targetRegion: "us-west-2",
    targetClusterArn: "arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2",
    control: { table: "failover-control", region: "us-east-2", pk: "control#orders", sk: "lease" },
    traffic: { strategy: "health-check", hostedZoneId: "Z1", record: "orders.example.com", namespace: "Failover/orders", metricName: "RegionInService", settleSeconds: 90, drainSeconds: 160, switchLapseSeconds: 180, recordType: "CNAME", ttlSeconds: 60, targetValue: "us-west-2.orders.example.com" },
    clientDrain: "after-promotion",
    dynamodbTables: ["orders-sessions"],
    limits: { pollSeconds: 15, maxPolls: 32 },
    approval: { required: false, timeoutSeconds: 600 },
    ...over,
  };
}
