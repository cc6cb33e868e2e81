// A controller told to stop (SIGTERM: a deploy, a scale-in) just as its run
// has ended, with the run's bookkeeping (incident record, marker, lease)
// still being written. If shutdown returned at once, the process would exit
// with the marker set and the record still "acting": the next holder would
// resume a finished runbook. Shutdown waits for that bookkeeping.
import { describe, expect, it } from "vitest";
import type { FailoverController } from "../../src/controller/index.js";
import { outageSession } from "./finishing-session.js";

/** Holds back the finished run's incident record for 3 s: inside shutdown's wait, longer than no wait at all. */
const SLOW_RECORD_MS = 3_000;

describe("shutdown while a finished run's outcome is written", () => {
  it("waits for the outcome, so the process exits with nothing left to resume", async () => {
    let holding: string | undefined;
    let exited: string | undefined;
    const session = outageSession("shutdown-finishing", async (region, command, input, { clock }) => {
      // Once its shutdown returned, the process is gone: none of its calls lands.
      if (exited === region) return "drop";
      const item = input.Item as { incident?: { S?: string } } | undefined;
      if (command === "PutItemCommand" && item?.incident?.S?.includes('"state":"resolved"') && holding === undefined) {
        holding = region;
        await clock.sleep(SLOW_RECORD_MS);
        if (exited === region) return "drop";
      }
      return "pass";
    });
    const events = (name: string) => session.world.timeline.filter((e) => e.event === name);
    expect(await session.stepUntil(() => holding !== undefined, 20 * 60_000)).toBe(true);
    const ctrl = session.live.find((c) => (c as FailoverController).status().region === holding) as FailoverController;
    void ctrl.shutdown().then(() => (exited = holding));
    expect(await session.stepUntil(() => exited !== undefined, session.world.nowMs + 10_000)).toBe(true);
    await session.stepUntil(() => false, session.world.nowMs + 3 * 60_000);
    const completed = events("failover.completed");
    // The run's bookkeeping finished before the process went: the run completed, once, and nobody resumed it.
    expect(completed).toHaveLength(1);
    expect(events("runbook.started").filter((e) => e.detail?.incident === completed[0]!.detail?.incident)).toHaveLength(1);
    expect(events("runbook.resumed")).toEqual([]);
    expect(session.world.unleased).toEqual([]);
  }, 60_000);
});
