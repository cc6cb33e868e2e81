// Every SDK command an adapter sends must be registered in calls.ts and
// granted by the built policy. The test drives every adapter method (a new
// method without a driver fails too), records the commands the SDK clients
// receive, and maps them to IAM actions: adding a call without registering
// it, or registering one nobody makes, fails here.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { Route53RecoveryClusterClient } from "@aws-sdk/client-route53-recovery-cluster";
import type { MetadataBearer } from "@smithy/types";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createRoutingControlAdapter } from "../../src/aws/arc.js";
import { createAuroraAdapter } from "../../src/aws/aurora.js";
import { AWS_CALLS, actionOfCommand, callSpec } from "../../src/aws/calls.js";
import { createCloudWatchAdapter } from "../../src/aws/cloudwatch.js";
import { createDynamoDbAdapter } from "../../src/aws/dynamodb.js";
import { buildIamPolicies, type IamPolicyInput, type PolicyDocument } from "../../src/aws/iam-policy.js";
import { createRoute53Adapter } from "../../src/aws/route53.js";
import { createSfnAdapter } from "../../src/aws/sfn.js";
import { createSnsAdapter } from "../../src/aws/sns.js";
import { SeededRandom } from "../../src/core/index.js";
import { ACCOUNT, CREDENTIALS, USE1_ARN, USW2_ARN, rejectsAwsCall, serviceError } from "./fixtures.js";

type AnyStub = AwsStub<object, MetadataBearer, unknown>;

/** IAM service prefix of each client's commands. */
const mocks: { prefix: string; stub: AnyStub; answer: Record<string, unknown> }[] = [
  {
    prefix: "route53",
    stub: mockClient(Route53Client),
    answer: { ChangeInfo: { Id: "/change/C1", Status: "INSYNC", SubmittedAt: new Date(0) }, ResourceRecordSets: [], IsTruncated: false },
  },
  {
    prefix: "rds",
    stub: mockClient(RDSClient),
    answer: {
      GlobalClusters: [{ GlobalClusterIdentifier: "orders-global", GlobalClusterMembers: [{ DBClusterArn: USW2_ARN, IsWriter: true }] }],
      GlobalCluster: { GlobalClusterIdentifier: "orders-global" },
      DBClusters: [{ DBClusterArn: USW2_ARN, Status: "available" }],
    },
  },
  {
    prefix: "dynamodb",
    stub: mockClient(DynamoDBClient),
    answer: { Table: { TableName: "t" }, Item: { pk: { S: "k" } }, Attributes: { pk: { S: "k" } }, Items: [] },
  },
  { prefix: "cloudwatch", stub: mockClient(CloudWatchClient), answer: { MetricDataResults: [], MetricAlarms: [] } },
  {
    prefix: "states",
    stub: mockClient(SFNClient),
    answer: { executionArn: "arn:exec", status: "RUNNING", events: [], executions: [], stateMachineArn: "arn:sm", definition: "{}", roleArn: "arn:role" },
  },
  { prefix: "sns", stub: mockClient(SNSClient), answer: { MessageId: "m-1" } },
  { prefix: "route53-recovery-cluster", stub: mockClient(Route53RecoveryClusterClient), answer: { RoutingControlArn: "arn:rc", RoutingControlState: "On" } },
];
const RC = `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/p/routingcontrol/usw2`;
const ARC_ENDPOINT = { region: "us-west-2", endpoint: "https://host-a.us-west-2.example.com/v1" };

const region = "us-west-2";
const adapters = {
  route53: createRoute53Adapter(new Route53Client({ region: "us-east-1", credentials: CREDENTIALS }), "us-east-1"),
  aurora: createAuroraAdapter(new RDSClient({ region, credentials: CREDENTIALS }), region),
  dynamodb: createDynamoDbAdapter(new DynamoDBClient({ region, credentials: CREDENTIALS }), region),
  cloudwatch: createCloudWatchAdapter(new CloudWatchClient({ region, credentials: CREDENTIALS }), region),
  sfn: createSfnAdapter(new SFNClient({ region, credentials: CREDENTIALS }), region),
  sns: createSnsAdapter(new SNSClient({ region, credentials: CREDENTIALS }), region),
  arc: createRoutingControlAdapter([ARC_ENDPOINT], (e) => new Route53RecoveryClusterClient({ region: e.region, endpoint: e.endpoint, credentials: CREDENTIALS }), new SeededRandom(1)),
};

const key = { pk: { S: "k" } };
const query = { id: "q", namespace: "AWS/RDS", metricName: "AuroraGlobalDBRPOLag", dimensions: {}, periodSeconds: 60, stat: "Maximum" as const };
const SM = `arn:aws:states:${region}:${ACCOUNT}:stateMachine:failover-orders-failover`;

/** One valid invocation of every adapter method. */
const drivers: Record<string, () => Promise<unknown>> = {
  "route53.changeResourceRecordSets": () =>
    adapters.route53.changeResourceRecordSets({ hostedZoneId: "Z1", changes: [{ action: "UPSERT", record: { name: "a.example.com", type: "A", values: ["10.0.0.1"] } }] }),
  "route53.getChange": () => adapters.route53.getChange("C1"),
  "route53.listResourceRecordSets": () => adapters.route53.listResourceRecordSets("Z1"),
  "aurora.describeGlobalCluster": () => adapters.aurora.describeGlobalCluster("orders-global"),
  "aurora.failoverGlobalCluster": () => adapters.aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: USW2_ARN }),
  "aurora.switchoverGlobalCluster": () => adapters.aurora.switchoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: USE1_ARN }),
  "aurora.describeDbClusterStatus": () => adapters.aurora.describeDbClusterStatus(USW2_ARN),
  "dynamodb.describeTable": () => adapters.dynamodb.describeTable("t"),
  "dynamodb.getItem": () => adapters.dynamodb.getItem({ tableName: "t", key, consistentRead: true }),
  "dynamodb.putItem": () => adapters.dynamodb.putItem({ tableName: "t", item: key }),
  "dynamodb.updateItem": () => adapters.dynamodb.updateItem({ tableName: "t", key, updateExpression: "SET a = :a", values: { ":a": { N: "1" } } }),
  "dynamodb.query": () => adapters.dynamodb.query({ tableName: "t", keyConditionExpression: "pk = :pk", values: { ":pk": { S: "k" } }, consistentRead: true }),
  "cloudwatch.getMetricData": () => adapters.cloudwatch.getMetricData({ queries: [query], startMs: 0, endMs: 60_000 }),
  "cloudwatch.describeAlarms": () => adapters.cloudwatch.describeAlarms(["orders-5xx-us-west-2"]),
  "cloudwatch.putMetricData": () =>
    adapters.cloudwatch.putMetricData({ namespace: "Failover/orders", data: [{ metricName: "RegionInService", dimensions: {}, value: 1, timestampMs: 0 }] }),
  "sfn.startExecution": () => adapters.sfn.startExecution({ stateMachineArn: SM, name: "inc-1", input: "{}" }),
  "sfn.describeExecution": () => adapters.sfn.describeExecution("arn:exec"),
  "sfn.listExecutions": () => adapters.sfn.listExecutions({ stateMachineArn: SM, status: "RUNNING" }),
  "sfn.getExecutionPosition": () => adapters.sfn.getExecutionPosition("arn:exec"),
  "sfn.stopExecution": () => adapters.sfn.stopExecution({ executionArn: "arn:exec" }),
  "sfn.sendTaskSuccess": () => adapters.sfn.sendTaskSuccess({ taskToken: "t", output: "{}" }),
  "sfn.sendTaskFailure": () => adapters.sfn.sendTaskFailure({ taskToken: "t", error: "E" }),
  "sfn.describeStateMachine": () => adapters.sfn.describeStateMachine(SM),
  "sfn.createStateMachine": () => adapters.sfn.createStateMachine({ name: "failover-orders-failover", definition: "{}", roleArn: "arn:role" }),
  "sfn.updateStateMachine": () => adapters.sfn.updateStateMachine({ arn: SM, definition: "{}", roleArn: "arn:role" }),
  "sns.publish": () => adapters.sns.publish({ topicArn: `arn:aws:sns:${region}:${ACCOUNT}:failover`, subject: "s", message: "m" }),
  "arc.getRoutingControlState": () => adapters.arc.getRoutingControlState(RC),
  "arc.updateRoutingControlStates": () => adapters.arc.updateRoutingControlStates({ entries: [{ arn: RC, state: "On" }] }),
};

function sentActions(): string[] {
  return mocks.flatMap(({ prefix, stub }) => stub.calls().map((c) => actionOfCommand(prefix, (c.args[0] as object).constructor.name)));
}

const input = (runbookEngine: IamPolicyInput["runbookEngine"]): IamPolicyInput => ({
  accountId: ACCOUNT,
  regions: ["us-east-1", "us-west-2"],
  route53: { hostedZoneId: "Z1", recordNames: ["orders.example.com"] },
  aurora: { globalClusterId: "orders-global", memberClusterArns: [USE1_ARN, USW2_ARN] },
  dynamodb: { appTables: ["orders-sessions"], controlTable: { name: "failover-control", regions: ["us-east-2"] } },
  cloudwatch: { alarms: [{ region: "us-west-2", name: "orders-5xx-us-west-2" }], controllerNamespaces: ["Failover/orders"], runbookNamespaces: ["Failover/killswitch"] },
  stepFunctions: { stateMachinePrefix: "failover-orders", runbookRoleArn: `arn:aws:iam::${ACCOUNT}:role/runbooks` },
  sns: { topicArns: [`arn:aws:sns:${region}:${ACCOUNT}:failover`] },
  runbookEngine,
  routingControls: [RC],
});

const granted = (doc: PolicyDocument) => new Set(doc.Statement.flatMap((s) => s.Action));

beforeEach(() => {
  for (const { stub, answer } of mocks) {
    stub.reset();
    stub.onAnyCommand().resolves(answer);
  }
});

describe("IAM coverage of the adapters' calls", () => {
  it("has a driver for every adapter method", () => {
    const methods = Object.entries(adapters).flatMap(([name, a]) =>
      Object.entries(a)
        .filter(([, v]) => typeof v === "function")
        .map(([m]) => `${name}.${m}`),
    );
    expect(Object.keys(drivers).sort()).toEqual(methods.sort());
  });

  it("every command sent is registered and granted to the role that makes it; every registered call is made", async () => {
    const seen = new Set<string>();
    for (const [method, drive] of Object.entries(drivers)) {
      for (const { stub } of mocks) stub.resetHistory();
      await drive();
      const actions = sentActions();
      expect(actions.length, `${method} sent no command`).toBeGreaterThan(0);
      for (const action of actions) {
        seen.add(action);
        expect(callSpec(action), `${method} sends ${action}, which is not in src/aws/calls.ts`).toBeDefined();
      }
    }
    expect([...seen].sort()).toEqual(AWS_CALLS.map((c) => c.action).sort());

    const local = buildIamPolicies(input("local"));
    const sfn = buildIamPolicies(input("step-functions"));
    for (const action of seen) {
      const spec = callSpec(action)!;
      expect(granted(local.controller).has(action), `${action} missing from the controller policy (local engine)`).toBe(true);
      if (spec.role !== "runbook") expect(granted(sfn.controller).has(action), `${action} missing from the controller policy`).toBe(true);
      if (spec.role !== "controller") expect(granted(sfn.runbook).has(action), `${action} missing from the runbook policy`).toBe(true);
    }
  });

  it("each adapter method reports the call it actually sent", async () => {
    for (const [method, drive] of Object.entries(drivers)) {
      for (const { stub } of mocks) {
        stub.reset();
        stub.onAnyCommand().rejects(serviceError("Boom", { fault: "client", status: 400 }));
      }
      const err = await rejectsAwsCall(drive());
      expect(err.call, method).toBe(sentActions()[0]);
    }
  });
});
