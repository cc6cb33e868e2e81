// An incident can be tried again with another target (the first one died
// meanwhile) or by an operator's manual move under the same incident id. The
// journal then holds a promotion done for another target: it must not stand
// in for this run's promotion (local-engine.ts sameMove).
import { describe, expect, it } from "vitest";
import { MemoryJournal, type JournalEntry } from "../../src/core/index.js";
import { sameMove } from "../../src/runbooks/index.js";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { callList, runToEnd } from "./harness.js";

const input = runbookInput();
/** An earlier run of the same incident that promoted `target` and then failed. */
function earlierRun(target: string, runbook = "failover"): JournalEntry[] {
  const base = { incidentId: input.incidentId, epoch: input.epoch - 1, runbook, atMs: 0 };
  return [
    { ...base, seq: 0, state: "", phase: "started", input: { ...input, targetRegion: target } },
    { ...base, seq: 1, state: "PromoteTarget", phase: "before", input: {} },
    { ...base, seq: 2, state: "PromoteTarget", phase: "after", output: {} },
    { ...base, seq: 3, state: "", phase: "finished", error: { name: "Runbook.Escalated", message: "flip failed" } },
  ];
}

describe("journal replay is limited to earlier runs of the same move", () => {
  const shifted = (entries: JournalEntry[], by: number) => entries.map((e) => ({ ...e, seq: e.seq + by }));

  it("keeps the entries of the latest runs of the same runbook, source and target (the journal reads them in seq order)", () => {
    const same = earlierRun(input.targetRegion);
    expect(sameMove([...same, ...shifted(same, 4)], "failover", input).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Runs of another move, or of the same move before another one, are not kept.
    const other = shifted(earlierRun("eu-central-1"), 4);
    const switchover = shifted(earlierRun(input.targetRegion, "switchover"), 12);
    expect(sameMove([...same, ...other, ...shifted(same, 8), ...switchover], "failover", input)).toEqual([]);
    expect(sameMove([...same, ...other, ...shifted(same, 8)], "failover", input).map((e) => e.seq)).toEqual([8, 9, 10, 11]);
  });

  it("a promotion journaled for this target before another target was promoted is not replayed", async () => {
    const journal = new MemoryJournal();
    for (const e of [...earlierRun(input.targetRegion), ...shifted(earlierRun("eu-central-1"), 4)]) await journal.append(e);
    const aws = new FakeAws(input);
    const { result } = await runToEnd("failover", input, { aws, journal });
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toContain(`rds:FailoverGlobalCluster@${input.targetRegion}`);
  });

  it("a promotion journaled for another target is not replayed: this run promotes its own", async () => {
    const journal = new MemoryJournal();
    for (const e of earlierRun("eu-central-1")) await journal.append(e);
    const aws = new FakeAws(input);
    const { result } = await runToEnd("failover", input, { aws, journal });
    expect(result.status).toBe("succeeded");
    expect(callList(aws)).toContain(`rds:FailoverGlobalCluster@${input.targetRegion}`);
    expect(aws.writerArn).toBe(input.targetClusterArn);
  });

  it("one journaled for this target is replayed (the resume guarantee holds)", async () => {
    const journal = new MemoryJournal();
    for (const e of earlierRun(input.targetRegion)) await journal.append(e);
    const aws = new FakeAws(input);
    const { result } = await runToEnd("failover", input, { aws, journal });
    // The run reached the promotion and stood the journaled one in for it (not merely: it never got there).
    expect(result.calls).toContainEqual(expect.objectContaining({ state: "PromoteTarget", replayed: true }));
    expect(callList(aws)).not.toContain(`rds:FailoverGlobalCluster@${input.targetRegion}`);
  });
});
