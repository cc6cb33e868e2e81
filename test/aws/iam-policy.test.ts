import { describe, expect, it } from "vitest";
import { buildIamPolicies, type IamPolicyInput, type PolicyDocument, type PolicyStatement } from "../../src/aws/iam-policy.js";
import { ACCOUNT, USE1_ARN, USW2_ARN } from "./fixtures.js";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/failover-orders-runbooks`;
const base: IamPolicyInput = {
  accountId: ACCOUNT,
  regions: ["us-east-1", "us-west-2"],
  route53: { hostedZoneId: "Z123", recordNames: ["Orders.Example.com."] },
  aurora: { globalClusterId: "orders-global", memberClusterArns: [USE1_ARN, USW2_ARN] },
  dynamodb: { appTables: ["orders-sessions"], controlTable: { name: "failover-control", regions: ["us-east-2"] } },
  cloudwatch: {
    alarms: [
      { region: "us-east-1", name: "orders-5xx-us-east-1" },
      { region: "us-west-2", name: "orders-5xx-us-west-2" },
    ],
    controllerNamespaces: ["Failover/orders"],
    runbookNamespaces: ["Failover/killswitch"],
  },
  stepFunctions: { stateMachinePrefix: "failover-orders", runbookRoleArn: ROLE },
  runbookEngine: "step-functions",
};

const statementWith = (doc: PolicyDocument, action: string): PolicyStatement | undefined => doc.Statement.find((s) => s.Action.includes(action));
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => s.Action);

describe("buildIamPolicies", () => {
  it("enumerates actions exactly: no wildcard, no duplicates, unique Sids", () => {
    const { controller, runbook } = buildIamPolicies(base);
    for (const doc of [controller, runbook]) {
      expect(doc.Version).toBe("2012-10-17");
      expect(actions(doc).filter((a) => a.includes("*"))).toEqual([]);
      expect(new Set(actions(doc)).size).toBe(actions(doc).length);
      expect(new Set(doc.Statement.map((s) => s.Sid)).size).toBe(doc.Statement.length);
      for (const s of doc.Statement) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it("scopes Aurora promotions to the global cluster and its members", () => {
    const { runbook, controller } = buildIamPolicies(base);
    expect(statementWith(runbook, "rds:FailoverGlobalCluster")!.Resource).toEqual([
      `arn:aws:rds::${ACCOUNT}:global-cluster:orders-global`,
      USE1_ARN,
      USW2_ARN,
    ]);
    // With Step Functions running the runbooks, the controller itself never promotes.
    expect(actions(controller)).not.toContain("rds:FailoverGlobalCluster");
    expect(actions(controller)).toContain("states:StartExecution");
    expect(actions(runbook).filter((a) => a.startsWith("states:") || a.startsWith("iam:"))).toEqual([]);
  });

  it("grants the runbook's actions to the controller when the engine is local", () => {
    const { controller, notes } = buildIamPolicies({ ...base, runbookEngine: "local" });
    expect(actions(controller)).toEqual(expect.arrayContaining(["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"]));
    expect(statementWith(controller, "cloudwatch:PutMetricData")!.Condition).toEqual({
      StringEquals: { "cloudwatch:namespace": ["Failover/killswitch", "Failover/orders"] },
    });
    expect(notes.join("\n")).toMatch(/engine is local/);
  });

  it("scopes Route 53, DynamoDB, alarms and state machines to the input's ARNs", () => {
    const { controller, runbook } = buildIamPolicies(base);
    const change = statementWith(runbook, "route53:ChangeResourceRecordSets")!;
    expect(change.Resource).toEqual(["arn:aws:route53:::hostedzone/Z123"]);
    expect(change.Condition).toEqual({ "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["orders.example.com"] } });
    expect(statementWith(runbook, "route53:GetChange")!.Resource).toEqual(["arn:aws:route53:::change/*"]);
    expect(statementWith(controller, "dynamodb:UpdateItem")!.Resource).toEqual([`arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/failover-control`]);
    expect(statementWith(controller, "dynamodb:DescribeTable")!.Resource).toEqual([
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-sessions`,
      `arn:aws:dynamodb:us-east-2:${ACCOUNT}:table/failover-control`,
      `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/orders-sessions`,
    ]);
    expect(statementWith(controller, "cloudwatch:DescribeAlarms")!.Resource).toEqual([
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-5xx-us-east-1`,
      `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:orders-5xx-us-west-2`,
    ]);
    expect(statementWith(controller, "states:StartExecution")!.Resource).toEqual([
      `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:failover-orders-*`,
      `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:failover-orders-*`,
    ]);
    expect(statementWith(controller, "states:DescribeExecution")!.Resource).toContain(`arn:aws:states:us-west-2:${ACCOUNT}:execution:failover-orders-*:*`);
  });

  it("passes only the runbook role, only to Step Functions", () => {
    const { controller } = buildIamPolicies(base);
    expect(statementWith(controller, "iam:PassRole")).toEqual({
      Sid: "PassRunbookRoleToStepFunctions",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [ROLE],
      Condition: { StringEquals: { "iam:PassedToService": ["states.amazonaws.com"] } },
    });
  });

  it("uses \"*\" only where IAM cannot scope, and says why in notes", () => {
    const { controller, runbook, notes } = buildIamPolicies(base);
    const star = [...controller.Statement, ...runbook.Statement].filter((s) => s.Resource.includes("*")).flatMap((s) => s.Action);
    expect([...new Set(star)].sort()).toEqual(["cloudwatch:GetMetricData", "cloudwatch:PutMetricData", "states:SendTaskFailure", "states:SendTaskSuccess"]);
    expect(statementWith(runbook, "cloudwatch:PutMetricData")!.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": ["Failover/killswitch"] } });
    const text = notes.join("\n");
    expect(text).toMatch(/cloudwatch:GetMetricData: IAM supports no resource-level permissions/);
    expect(text).toMatch(/states:SendTaskFailure, states:SendTaskSuccess: IAM defines no resource type/);
    expect(text).toMatch(/route53:GetChange: change ids are only known/);
  });

  it("leaves out what the config gives no resource for, and says so", () => {
    const { controller, runbook, notes } = buildIamPolicies({
      ...base,
      runbookEngine: "local",
      stepFunctions: undefined,
      cloudwatch: { alarms: [], controllerNamespaces: ["Failover/orders"], runbookNamespaces: [] },
    });
    expect(actions(controller).filter((a) => a.startsWith("states:") || a === "iam:PassRole" || a === "cloudwatch:DescribeAlarms")).toEqual([]);
    expect(actions(runbook)).not.toContain("cloudwatch:PutMetricData");
    const text = notes.join("\n");
    expect(text).toMatch(/controller: cloudwatch:DescribeAlarms left out: the config has no alarm probes/);
    expect(text).toMatch(/states:StartExecution.* left out: no Step Functions state machines/);
    expect(text).toMatch(/runbook: cloudwatch:PutMetricData left out/);
  });

  it("writes ARNs in the partition of the regions", () => {
    const { runbook } = buildIamPolicies({
      ...base,
      regions: ["cn-north-1", "cn-northwest-1"],
      aurora: { globalClusterId: "g", memberClusterArns: [] },
    });
    expect(statementWith(runbook, "rds:DescribeGlobalClusters")!.Resource).toEqual([`arn:aws-cn:rds::${ACCOUNT}:global-cluster:g`]);
    expect(statementWith(runbook, "route53:GetChange")!.Resource).toEqual(["arn:aws-cn:route53:::change/*"]);
  });
});
