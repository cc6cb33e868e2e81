// A controller's own run has ended while its bookkeeping (clearing the
// control record's incident marker, releasing the lease, writing the
// incident record) is still under way. A tick in that window reads the
// marker and the record as a dead controller would have left them, and must
// not resume the run: a second run of a finished runbook, whose fenced calls
// can land after the released lease was taken (sweep seed 450152 under
// records: a record UPSERT by a controller no longer holding the lease).
import { describe, expect, it } from "vitest";
import { outageSession } from "./finishing-session.js";

/** Holds back the write that clears the incident marker (the first step of a finished run's bookkeeping) for 15 s: longer than a control cycle. */
const SLOW_CLEAR_MS = 15_000;

describe("a run that has just ended", () => {
  it("is not resumed by its own controller while its bookkeeping is written, and nothing moves without the lease", async () => {
    let held = 0;
    const session = outageSession("finishing", async (_region, command, input, { clock }) => {
      // Before the world sees it: until then the table still holds the marker.
      const values = input.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
      if (command === "UpdateItemCommand" && values?.[":inc"]?.S === "") {
        held++;
        await clock.sleep(SLOW_CLEAR_MS);
      }
      return "pass";
    });
    const events = (name: string) => session.world.timeline.filter((e) => e.event === name);
    expect(await session.stepUntil(() => events("failover.completed").length > 0, 20 * 60_000)).toBe(true);
    await session.stepUntil(() => false, session.world.nowMs + 60_000);
    const completed = events("failover.completed")[0]!;
    // The hold did happen (a renamed placeholder would silently skip it).
    expect(held).toBeGreaterThan(0);
    // The run was started once and never resumed, by anyone.
    expect(events("runbook.started").filter((e) => e.detail?.incident === completed.detail?.incident)).toHaveLength(1);
    expect(events("runbook.resumed")).toEqual([]);
    expect(session.world.unleased).toEqual([]);
  }, 60_000);
});
