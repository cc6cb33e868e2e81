// Every path of each runbook, run by the local engine against an in-memory
// AWS: the exact calls in order and the region each went to.
import { describe, expect, it } from "vitest";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { callList, runToEnd } from "./harness.js";

const FENCE = "dynamodb:UpdateItem(fencedEpoch)@us-east-2";
const PROMOTION_POLLS = ["rds:DescribeGlobalClusters@us-west-2", "rds:DescribeGlobalClusters@us-west-2"];
const RC_EAST = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/use1";
const RC_WEST = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/usw2";
const routingControlInput = (safetyRulesToOverride: string[] = []) =>
  runbookInput({
    traffic: {
      ...runbookInput().traffic,
      strategy: "routing-control",
      settleSeconds: 10,
      targetControlArn: RC_WEST,
      fromControlArn: RC_EAST,
      safetyRulesToOverride,
      clusterEndpoints: [{ region: "us-west-2", endpoint: "https://host-a.us-west-2.example.com/v1" }],
    },
  });
/** Safe to start again: the cluster is read before the promotion, which is skipped if already there. */
const PRECHECK = "rds:DescribeGlobalClusters@us-west-2";
const TAIL = ["rds:DescribeGlobalClusters@us-west-2", FENCE, "dynamodb:UpdateItem(activeRegion)@us-east-2"];

/** A health-check run whose promotion takes `promotionPolls` polls: its calls and where each cluster read is among them. */
async function slowPromotion(name: "failover" | "switchover", promotionPolls: number): Promise<{ calls: string[]; polls: number[] }> {
  const aws = new FakeAws(runbookInput());
  aws.promotionPolls = promotionPolls;
  const { result } = await runToEnd(name, runbookInput(), { aws });
  expect(result.status).toBe("succeeded");
  const calls = callList(aws);
  return { calls, polls: calls.map((c, i) => (c === "rds:DescribeGlobalClusters@us-west-2" ? i : -1)).filter((i) => i >= 0) };
}

/** Which polls (1-based) are followed by a fenced write of the target's (us-west-2) kill switch. */
function refreshedAfter(calls: string[], polls: number[]): number[] {
  return polls.filter((i) => calls[i + 1] === FENCE && calls[i + 2] === "cloudwatch:PutMetricData@us-west-2").map((i) => polls.indexOf(i) + 1);
}

describe("failover runbook", () => {
  // The old writer still answers (clientDrain before-promotion): Aurora may be unable to fence it,
  // so traffic moves and clients get their DNS caches' time to leave before the target takes writes.
  /** The calls between the old region's drain and the promotion: only fenced writes of the target's switch, how many. */
  function waitWrites(calls: string[]): number {
    const between = calls.slice(calls.indexOf("cloudwatch:PutMetricData@us-east-1") + 1, calls.indexOf("rds:FailoverGlobalCluster@us-west-2") - 1);
    expect(between.every((c) => c === FENCE || c === "cloudwatch:PutMetricData@us-west-2")).toBe(true);
    return between.filter((c) => c === "cloudwatch:PutMetricData@us-west-2").length;
  }

  it("drain first, health-check: enable the target, drain the old region, wait for clients to leave (the target's switch written at every 10 s step), then promote", async () => {
    const input = runbookInput({ clientDrain: "before-promotion" });
    const { result, aws, clock } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    const calls = callList(aws);
    expect(calls.slice(0, 5)).toEqual([PRECHECK, FENCE, "cloudwatch:PutMetricData@us-west-2", FENCE, "cloudwatch:PutMetricData@us-east-1"]);
    expect(calls[calls.indexOf("rds:FailoverGlobalCluster@us-west-2") - 1]).toBe(FENCE);
    // 160 s in 10 s steps: a write after each of the first 15, and one more after the last.
    expect(waitWrites(calls)).toBe(input.traffic.drainSeconds / 10);
    // Traffic is not moved a second time after the promotion.
    expect(calls.filter((c) => c === "cloudwatch:PutMetricData@us-east-1")).toHaveLength(1);
    expect(aws.activeRegion).toBe("us-west-2");
    // drainSeconds before the promotion, then two polls and the 90 s settle
    expect(clock.now()).toBeGreaterThanOrEqual(160_000 + 120_000);
  });

  it("drain first, health-check, the old region's switch unreachable: the wait adds the time its last heartbeat takes to lapse", async () => {
    const input = runbookInput({ clientDrain: "before-promotion" });
    const aws = new FakeAws(input);
    // The target's early write (best effort) and the drain both fail.
    aws.error("cloudwatch:PutMetricData", "AccessDenied", false, 2);
    const { result, clock } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
    const calls = callList(aws);
    expect(calls.slice(0, 5)).toEqual([PRECHECK, FENCE, "cloudwatch:PutMetricData@us-west-2", FENCE, "cloudwatch:PutMetricData@us-east-1"]);
    expect(waitWrites(calls)).toBe((input.traffic.drainSeconds + input.traffic.switchLapseSeconds) / 10);
    expect(clock.now()).toBeGreaterThanOrEqual(180_000 + 160_000 + 120_000);
  });

  it("drain first: a failed first cluster read still moves clients before the promotion", async () => {
    const input = runbookInput({ clientDrain: "before-promotion" });
    const aws = new FakeAws(input);
    aws.error("rds:DescribeGlobalClusters", "InternalFailure", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
    const calls = callList(aws);
    expect(calls.indexOf("cloudwatch:PutMetricData@us-east-1")).toBeLessThan(calls.indexOf("rds:FailoverGlobalCluster@us-west-2"));
  });

  it("drain first, records: the record points at the target before the promotion", async () => {
    const base = runbookInput();
    const input = runbookInput({ clientDrain: "before-promotion", traffic: { ...base.traffic, strategy: "records", settleSeconds: 0, drainSeconds: 70 } });
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    const calls = callList(aws);
    const upsert = calls.findIndex((c) => c.startsWith("route53:ChangeResourceRecordSets"));
    expect(upsert).toBeGreaterThan(-1);
    expect(upsert).toBeLessThan(calls.indexOf("rds:FailoverGlobalCluster@us-west-2"));
    expect(calls.filter((c) => c.startsWith("route53:ChangeResourceRecordSets"))).toHaveLength(1);
  });

  it("drain first, routing controls: flip, wait TTL and margin, promote, and no second flip", async () => {
    const input = { ...routingControlInput(), clientDrain: "before-promotion" as const, traffic: { ...routingControlInput().traffic, drainSeconds: 70 } };
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    const calls = callList(aws);
    const flips = calls.flatMap((c, i) => (c.startsWith("route53-recovery-cluster:UpdateRoutingControlStates") ? [i] : []));
    expect(flips).toHaveLength(1);
    expect(flips[0]).toBeLessThan(calls.indexOf("rds:FailoverGlobalCluster@us-west-2"));
  });

  it("health-check strategy: read the cluster, fence, promote in the target region, enable the target then drain old while Aurora promotes, poll, check replicas, enable target again, verify, record", async () => {
    const { result, aws, clock } = await runToEnd("failover", runbookInput());
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      PRECHECK, FENCE, "rds:FailoverGlobalCluster@us-west-2",
      // The target first: draining a dead region's switch times out and is retried (best effort), which must not hold up the flip.
      FENCE, "cloudwatch:PutMetricData@us-west-2",
      FENCE, "cloudwatch:PutMetricData@us-east-1",
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

  it("health-check, a promotion slower than the kill switch's datapoint lives: the target's switch is written again every 4 polls (60 s) until the writer is confirmed", async () => {
    const { calls, polls } = await slowPromotion("failover", 10);
    // Reads: the precheck before the promotion call, 10 polls, then Verify's.
    expect(polls).toHaveLength(12);
    // After the 4th and the 8th poll (not after the 10th: the writer is confirmed), a fenced write of the target's switch.
    expect(refreshedAfter(calls, polls.slice(1, 11))).toEqual([4, 8]);
    // Records and routing controls hold their state: nothing to refresh.
    const rcAws = new FakeAws(routingControlInput());
    rcAws.promotionPolls = 10;
    await runToEnd("failover", routingControlInput(), { aws: rcAws });
    expect(callList(rcAws).filter((c) => c.startsWith("cloudwatch:"))).toEqual([]);
  });

  it("records strategy: UPSERT in us-east-1 right after the promotion call, INSYNC, then the promotion poll", async () => {
    const input = runbookInput({ traffic: { ...runbookInput().traffic, strategy: "records" } });
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    expect(callList(aws).slice(0, 10)).toEqual([
      PRECHECK, FENCE, "rds:FailoverGlobalCluster@us-west-2",
      FENCE, "route53:ListResourceRecordSets@us-east-1", "route53:ChangeResourceRecordSets@us-east-1", "route53:GetChange@us-east-1", "route53:GetChange@us-east-1",
      ...PROMOTION_POLLS,
    ]);
    // No kill switch is touched: the record moves the traffic.
    expect(callList(aws).some((c) => c.startsWith("cloudwatch:"))).toBe(false);
  });

  it("routing-control strategy: target On and old Off in one call right after the promotion call, no kill switch, then poll, verify, record", async () => {
    const input = routingControlInput();
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      PRECHECK, FENCE, "rds:FailoverGlobalCluster@us-west-2",
      FENCE, "route53-recovery-cluster:UpdateRoutingControlStates@arc",
      ...PROMOTION_POLLS,
      "dynamodb:DescribeTable@us-west-2",
      ...TAIL,
    ]);
    expect(aws.controlUpdates).toEqual([{ entries: [{ arn: RC_WEST, state: "On" }, { arn: RC_EAST, state: "Off" }] }]);
    expect(aws.controls).toEqual({ [RC_WEST]: "On", [RC_EAST]: "Off" });
    expect(aws.activeRegion).toBe("us-west-2");
  });

  it("routing-control strategy: passes SafetyRulesToOverride only when the input carries an operator's override", async () => {
    const rule = "arn:aws:route53-recovery-control::111122223333:controlpanel/p/safetyrule/r";
    const input = routingControlInput([rule]);
    const { result, aws } = await runToEnd("failover", input);
    expect(result.status).toBe("succeeded");
    expect(aws.controlUpdates[0]?.safetyRulesToOverride).toEqual([rule]);
  });

  it("routing-control strategy: a flip refused by a safety rule (ConflictException) escalates, never retried on another endpoint", async () => {
    const input = routingControlInput();
    const aws = new FakeAws(input);
    aws.error("route53-recovery-cluster:UpdateRoutingControlStates", "ConflictException", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(callList(aws).filter((c) => c.includes("UpdateRoutingControlStates"))).toHaveLength(1);
    expect(aws.activeRegion).toBeUndefined();
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
    expect(callList(aws)).toEqual([PRECHECK, FENCE]);
  });

  it("compensates a refused promotion (the cluster read shows none under way) by giving the old region its traffic back, then escalates", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(callList(aws).slice(-4)).toEqual(["rds:FailoverGlobalCluster@us-west-2", "rds:DescribeGlobalClusters@us-west-2", FENCE, "cloudwatch:PutMetricData@us-east-1"]);
    expect(aws.killSwitch["us-east-1"]).toBe(1);
  });

  it("a promotion that landed but whose answer was lost is followed, not compensated", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.promotionLandsUnanswered = true;
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
    // The timeout is retried; Aurora refuses the second call (a failover is in progress), and the cluster read finds it.
    expect(callList(aws).filter((c) => c.startsWith("rds:FailoverGlobalCluster"))).toHaveLength(2);
    expect(aws.killSwitch["us-east-1"]).toBe(0);
    expect(aws.writerArn).toBe(input.targetClusterArn);
    expect(aws.activeRegion).toBe("us-west-2");
  });

  it("a failed promotion whose outcome cannot be read escalates with traffic where it is", async () => {
    const input = runbookInput({ clientDrain: "before-promotion" });
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    aws.error("rds:DescribeGlobalClusters", "AccessDenied", false, 2); // the first read (skipped on failure) and the one after the promotion
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(callList(aws).slice(-2)).toEqual(["rds:FailoverGlobalCluster@us-west-2", "rds:DescribeGlobalClusters@us-west-2"]);
    expect(aws.killSwitch).toMatchObject({ "us-east-1": 0, "us-west-2": 1 });
  });

  it("drain first, records: a refused promotion points the record at the old region again (fenced), then escalates", async () => {
    const base = runbookInput();
    const input = runbookInput({ clientDrain: "before-promotion", traffic: { ...base.traffic, strategy: "records", settleSeconds: 0, drainSeconds: 70, fromValue: "us-east-1.orders.example.com" } });
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(callList(aws).slice(-3)).toEqual(["rds:DescribeGlobalClusters@us-west-2", FENCE, "route53:ChangeResourceRecordSets@us-east-1"]);
    expect(aws.recordValue).toBe("us-east-1.orders.example.com");
  });

  it("records, promotion first: a refused promotion changes no record (the old region never lost its traffic)", async () => {
    const input = runbookInput({ traffic: { ...runbookInput().traffic, strategy: "records", fromValue: "us-east-1.orders.example.com" } });
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("escalated");
    expect(callList(aws).filter((c) => c.startsWith("route53:"))).toEqual([]);
  });

  it("drain first, routing controls: a refused promotion turns the old region's control On and the target's Off again, then escalates", async () => {
    const input = { ...routingControlInput(), clientDrain: "before-promotion" as const, traffic: { ...routingControlInput().traffic, drainSeconds: 70 } };
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(aws.controlUpdates).toHaveLength(2);
    expect(aws.controls).toEqual({ [RC_EAST]: "On", [RC_WEST]: "Off" });
  });

  it("drain first: a refused compensation fence (the lease moved on) stops with lost-lease and moves nothing back", async () => {
    const input = { ...routingControlInput(), clientDrain: "before-promotion" as const, traffic: { ...routingControlInput().traffic, drainSeconds: 70 } };
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    aws.onCall = (call) => {
      if (call === "rds:FailoverGlobalCluster") aws.epoch = 2;
    };
    const { result } = await runToEnd("failover", input, { aws });
    expect(result).toMatchObject({ status: "lost-lease", error: "Fencing.LostLease" });
    expect(aws.controlUpdates).toHaveLength(1);
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
    const { result, aws, engine } = await runToEnd("failover", needs, {
      during: (r, atMs) => {
        if (atMs >= 60_000 && !approved) approved = r.engine.approve("inc-1");
      },
    });
    expect(approved).toBe(true);
    expect(result.status).toBe("succeeded");
    // Past its gate: a later run of the incident waits at a new gate, but something was done.
    expect(await engine.gatePassedBefore("inc-1")).toBe(true);
    expect(callList(aws)[0]).toBe("dynamodb:PutItem@us-east-2");
    expect(aws.approvalItems[0]).toMatchObject({ pk: { S: "approval#orders" }, sk: { S: "inc-1" }, taskToken: { S: "inc-1/1" } });
  });

  it("stops with rejected and changes nothing when rejected", async () => {
    const { result, aws } = await runToEnd("failover", needs, { during: ({ engine }, atMs) => void (atMs >= 10_000 && engine.reject("inc-1", "not now")) });
    expect(result).toMatchObject({ status: "rejected", error: "Approval.Rejected" });
    expect(callList(aws)).toEqual(["dynamodb:PutItem@us-east-2"]);
  });

  it("times out on the Clock and changes nothing", async () => {
    const { result, aws, clock, engine } = await runToEnd("failover", needs);
    expect(result).toMatchObject({ status: "approval-timed-out" });
    expect(clock.now()).toBeGreaterThanOrEqual(600_000);
    expect(callList(aws)).toEqual(["dynamodb:PutItem@us-east-2"]);
    // The timed-out gate waits no more: a late answer is told so, not reported as approved.
    expect(await engine.gatePassedBefore("inc-1")).toBe(false);
    expect(engine.awaitingApproval("inc-1")).toBe(false);
    expect(engine.approve("inc-1")).toBe(false);
    expect(engine.reject("inc-1", "too late")).toBe(false);
  });
});

describe("switchover and failback runbooks", () => {
  // The switchover moves traffic while Aurora swaps roles (the target takes no
  // write until it is the writer; docs/runbooks.md, critical path); the failback
  // is not on an outage's clock and keeps the order: confirmed writer, then traffic.
  // Under health-check the switchover writes the target's kill switch once more
  // when the writer is confirmed (a single early datapoint can go stale).
  const inOrder = (name: "switchover" | "failback", traffic: string[], confirm: string[] = []) =>
    name === "switchover" ? [...traffic, ...PROMOTION_POLLS, ...confirm] : [...PROMOTION_POLLS, ...traffic];

  it.each(["switchover", "failback"] as const)("%s: switchover sent to the current primary's region, no AllowDataLoss, flip and drain (the switchover: while Aurora swaps roles)", async (name) => {
    const { result, aws } = await runToEnd(name, runbookInput());
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      PRECHECK, FENCE, "rds:SwitchoverGlobalCluster@us-east-1",
      ...inOrder(name, [FENCE, "cloudwatch:PutMetricData@us-west-2", FENCE, "cloudwatch:PutMetricData@us-east-1"], [FENCE, "cloudwatch:PutMetricData@us-west-2"]),
      ...TAIL,
    ]);
    expect(aws.killSwitch).toEqual({ "us-east-1": 0, "us-west-2": 1 });
  });

  it("switchover under health-check that Aurora rolls back: the target's switch is not kept alive (its datapoint may go stale), the poll runs out and escalates", async () => {
    const aws = new FakeAws(runbookInput());
    aws.promotionPolls = 100;
    // Accepted, then rolled back: no FailoverState any more, and the target never became the writer.
    const { result } = await runToEnd("switchover", runbookInput(), { aws, during: () => void (aws.failover && delete aws.failover) });
    expect(result.status).not.toBe("succeeded");
    const calls = callList(aws);
    const polls = calls.map((c, i) => (c === "rds:DescribeGlobalClusters@us-west-2" ? i : -1)).filter((i) => i > calls.indexOf("rds:SwitchoverGlobalCluster@us-east-1"));
    expect(polls.length).toBeGreaterThanOrEqual(4);
    expect(refreshedAfter(calls, polls)).toEqual([]);
  });

  it("switchover under health-check: no settle between enabling the target and draining the old primary, and a slow swap refreshes the target's switch every 4 polls", async () => {
    const { calls, polls } = await slowPromotion("switchover", 6);
    const swap = calls.indexOf("rds:SwitchoverGlobalCluster@us-east-1");
    // Enable, then drain at once (both alarms then run their delay together).
    expect(calls.slice(swap + 1, swap + 5)).toEqual([FENCE, "cloudwatch:PutMetricData@us-west-2", FENCE, "cloudwatch:PutMetricData@us-east-1"]);
    // After the 4th poll; the 6th confirms the writer and is followed by ConfirmTarget's write.
    expect(refreshedAfter(calls, polls.filter((i) => i > swap))).toEqual([4, 6]);
  });

  it.each(["switchover", "failback"] as const)("%s with routing-control: flip both controls in one call (the switchover: while Aurora swaps roles), no drain", async (name) => {
    const { result, aws } = await runToEnd(name, routingControlInput());
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toEqual([
      PRECHECK, FENCE, "rds:SwitchoverGlobalCluster@us-east-1",
      ...inOrder(name, [FENCE, "route53-recovery-cluster:UpdateRoutingControlStates@arc"]),
      ...TAIL,
    ]);
    expect(aws.controls).toEqual({ [RC_WEST]: "On", [RC_EAST]: "Off" });
  });
});
