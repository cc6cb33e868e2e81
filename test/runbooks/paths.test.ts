// Every path of each runbook, run by the local engine against an in-memory
// AWS: the exact calls in order and the region each went to.
import { describe, expect, it } from "vitest";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { callList, runToEnd } from "./harness.js";

const FENCE = "dynamodb:UpdateItem(fencedEpoch)@us-east-2";
const PROMOTION_POLLS = ["rds:DescribeGlobalClusters@us-west-2", "rds:DescribeGlobalClusters@us-west-2"];
/** Safe to start again: the cluster is read before the promotion, which is skipped if already there. */
const PRECHECK = "rds:DescribeGlobalClusters@us-west-2";
const TAIL = ["rds:DescribeGlobalClusters@us-west-2", FENCE, "dynamodb:UpdateItem(activeRegion)@us-east-2"];

describe("failover runbook", () => {
  it("health-check strategy: fence, drain old, promote in the target region, poll, check replicas, enable target, verify, record", async () => {
    const { result, aws, clock } = await runToEnd("failover", runbookInput());
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      FENCE, "cloudwatch:PutMetricData@us-east-1",
      PRECHECK, FENCE, "rds:FailoverGlobalCluster@us-west-2",
      ...PROMOTION_POLLS,
      "dynamodb:DescribeTable@us-west-2",
      FENCE, "cloudwatch:PutMetricData@us-west-2",
      ...TAIL,
    ]);
    expect(aws.killSwitch).toEqual({ "us-east-1": 0, "us-west-2": 1 });
    expect(aws.activeRegion).toBe("us-west-2");
    // two 15 s polls + 90 s settle, all on the virtual clock
    expect(clock.now()).toBeGreaterThanOrEqual(120_000);
  });

  it("records strategy: UPSERT in us-east-1 and poll GetChange until INSYNC", async () => {
    const input = runbookInput({ traffic: { ...runbookInput().traffic, strategy: "records" } });
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    expect(callList(aws).slice(8, 13)).toEqual([FENCE, "route53:ListResourceRecordSets@us-east-1", "route53:ChangeResourceRecordSets@us-east-1", "route53:GetChange@us-east-1", "route53:GetChange@us-east-1"]);
  });

  it("retries a throttled promotion with backoff on the Clock, then succeeds", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "ThrottlingException", true, 2);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
    expect(callList(aws).filter((c) => c.startsWith("rds:Failover"))).toHaveLength(3);
  });

  it("continues when the old region cannot be drained (its region is down)", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.error("cloudwatch:PutMetricData", "InternalServiceFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
  });

  it("stops with lost-lease, changing nothing, when the epoch is no longer current", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.epoch = 2;
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "lost-lease", error: "Fencing.LostLease" });
    expect(callList(aws)).toEqual([FENCE]);
  });

  it("compensates a failed promotion by giving the old region its traffic back, then escalates", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(callList(aws).slice(-1)).toEqual(["cloudwatch:PutMetricData@us-east-1"]);
    expect(aws.killSwitch["us-east-1"]).toBe(1);
  });

  it("escalates a promotion stuck past maxPolls instead of looping forever", async () => {
    const input = runbookInput({ limits: { pollSeconds: 15, maxPolls: 32 } });
    const aws = new FakeAws(input);
    aws.promotionPolls = 10_000; // "stuck for 8 minutes" and more
    const { result, clock } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "stuck", error: "Runbook.PromotionStuck" });
    // The precheck, then 32 polls.
    expect(callList(aws).filter((c) => c.startsWith("rds:Describe"))).toHaveLength(33);
    expect(clock.now()).toBeGreaterThanOrEqual(32 * 15_000);
  });

  it("escalates when the verify finds the target is not the writer", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    const { result } = await runToEnd("failover", input, {
      aws,
      during: ({ aws: a }) => {
        if (a.killSwitch["us-west-2"] === 1) a.writerArn = input.fromClusterArn; // someone moved it back
      },
    });
    expect(result.status).toBe("escalated");
    expect(aws.activeRegion).toBeUndefined();
  });
});

describe("approval gate", () => {
  const needs = runbookInput({ approval: { required: true, timeoutSeconds: 600 } });

  it("stores the task token in the control table and proceeds when approved", async () => {
    let approved = false;
    const { result, aws } = await runToEnd("failover", needs, {
      during: ({ engine }, atMs) => {
        if (atMs >= 60_000 && !approved) approved = engine.approve("inc-1");
      },
    });
    expect(approved).toBe(true);
    expect(result.status).toBe("succeeded");
    expect(callList(aws)[0]).toBe("dynamodb:PutItem@us-east-2");
    expect(aws.approvalItems[0]).toMatchObject({ pk: { S: "approval#orders" }, sk: { S: "inc-1" }, taskToken: { S: "inc-1/1" } });
  });

  it("stops with rejected and changes nothing when rejected", async () => {
    const { result, aws } = await runToEnd("failover", needs, { during: ({ engine }, atMs) => void (atMs >= 10_000 && engine.reject("inc-1", "not now")) });
    expect(result).toMatchObject({ status: "rejected", error: "Approval.Rejected" });
    expect(callList(aws)).toEqual(["dynamodb:PutItem@us-east-2"]);
  });

  it("times out on the Clock and changes nothing", async () => {
    const { result, aws, clock } = await runToEnd("failover", needs);
    expect(result).toMatchObject({ status: "approval-timed-out" });
    expect(clock.now()).toBeGreaterThanOrEqual(600_000);
    expect(callList(aws)).toEqual(["dynamodb:PutItem@us-east-2"]);
  });
});

describe("switchover and failback runbooks", () => {
  it.each(["switchover", "failback"] as const)("%s: switchover sent to the current primary's region, no AllowDataLoss, then flip and drain", async (name) => {
    const { result, aws } = await runToEnd(name, runbookInput());
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      PRECHECK, FENCE, "rds:SwitchoverGlobalCluster@us-east-1",
      ...PROMOTION_POLLS,
      FENCE, "cloudwatch:PutMetricData@us-west-2",
      FENCE, "cloudwatch:PutMetricData@us-east-1",
      ...TAIL,
    ]);
    expect(aws.killSwitch).toEqual({ "us-east-1": 0, "us-west-2": 1 });
  });
});
