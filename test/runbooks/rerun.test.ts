// Runbooks are safe to start again from the top (DESIGN.md, second wave):
// each mutating step first checks whether its effect is already there and
// skips itself. A Step Functions execution has no journal of ours, so this
// is the guarantee there; here the local engine runs with an empty journal
// to prove it without the journal's help.
import { describe, expect, it } from "vitest";
import { MemoryJournal } from "../../src/core/index.js";
import type { Definition, RunbookName } from "../../src/runbooks/index.js";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { callList, definition, runToEnd } from "./harness.js";

const MUTATING = ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster", "route53:ChangeResourceRecordSets"];

const snapshot = (aws: FakeAws) => ({
  writerArn: aws.writerArn,
  failover: aws.failover,
  killSwitch: { ...aws.killSwitch },
  activeRegion: aws.activeRegion,
  recordValue: aws.recordValue,
  changes: aws.changes.length,
});

async function twice(name: RunbookName, strategy: "health-check" | "records", def?: Definition) {
  const input = runbookInput({ traffic: { ...runbookInput().traffic, strategy } });
  const aws = new FakeAws(input);
  const first = await runToEnd(name, input, { aws, journal: new MemoryJournal(), ...(def && { definition: def }) });
  expect(first.result.status).toBe("succeeded");
  const after = snapshot(aws);
  const callsBefore = aws.calls.length;
  // From the top, same incident and epoch, nothing journaled.
  const second = await runToEnd(name, input, { aws, journal: new MemoryJournal(), ...(def && { definition: def }) });
  const again = callList(aws).slice(callsBefore);
  return { first, second, after, again, aws };
}

describe("a runbook started again from the top after it completed changes nothing", () => {
  for (const name of ["failover", "switchover", "failback"] as const) {
    for (const strategy of ["health-check", "records"] as const) {
      it(`${name}, ${strategy}: no promotion, no UPSERT; every other write puts back what is there`, async () => {
        const { second, after, again, aws } = await twice(name, strategy);
        expect(second.result.status).toBe("succeeded");
        expect(again.filter((c) => MUTATING.some((m) => c.startsWith(m)))).toEqual([]);
        expect(snapshot(aws)).toEqual(after);
        // The checks ran: the topology (and, for records, the record) was read before deciding to skip.
        expect(again).toContain("rds:DescribeGlobalClusters@us-west-2");
        if (strategy === "records") expect(again).toContain("route53:ListResourceRecordSets@us-east-1");
      });
    }
  }

  it("a promotion of this target already in flight is followed, not started again", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.failover = { to: input.targetClusterArn, pollsLeft: 3 };
    const { result } = await runToEnd("failover", input, { aws });
    expect(result.status).toBe("succeeded");
    expect(callList(aws).filter((c) => c.startsWith("rds:FailoverGlobalCluster"))).toEqual([]);
    expect(aws.writerArn).toBe(input.targetClusterArn);
  });

  it("the check catches a runbook without the prechecks: its second run promotes and UPSERTs again", async () => {
    const def = definition("failover");
    // Approval (or none) leads straight to the fence and the promotion, as before the prechecks.
    (def.States.NeedsApproval as { Default: string }).Default = "FenceBeforePromote";
    def.States.AwaitApproval!.Next = "FenceBeforePromote";
    def.States.FenceBeforeUpsertRecord!.Next = "UpsertRecord";
    for (const s of ["CheckPromotionNeeded", "EvaluatePromotionNeeded", "IsPromotionNeeded", "IsPromotionInFlight", "IsClientDrainFirst", "BeginClientDrain", "ReadRecord", "EvaluateRecordCurrent", "IsRecordListed", "IsRecordCurrent"]) delete def.States[s];
    const { again } = await twice("failover", "records", def);
    expect(again.filter((c) => MUTATING.some((m) => c.startsWith(m)))).toEqual(["rds:FailoverGlobalCluster@us-west-2", "route53:ChangeResourceRecordSets@us-east-1"]);
  });
});
