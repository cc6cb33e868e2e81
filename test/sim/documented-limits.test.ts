// Behaviour docs/failure-modes.md lists as a known limit, pinned so that a
// change to it is deliberate (and the doc is updated with it).
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

interface Run {
  violations: string[];
  measured: { rtoMs: number; failovers: number; splitBrainMs: number; activeRegion: string };
  timeline: { event: string; detail: Record<string, unknown> }[];
}

describe("documented limits", () => {
  it("the primary fails while the DR region is cut off from the witness: escalate no-healthy-target, fail over to nothing", async () => {
    const r = await cli(["--json", "gameday", "--scenario", "test/fixtures/scenarios/primary-fails-target-cut-from-witness.yaml"]);
    const run = JSON.parse(r.stdout) as Run;
    expect(run.violations).toEqual([]);
    expect(run.timeline.some((e) => e.event === "escalation" && e.detail.reason === "no-healthy-target")).toBe(true);
    expect(run.timeline.some((e) => e.event === "runbook.started")).toBe(false);
    // The outage lasts as long as the gray failure (10m to 35m): the cost of not acting on one observer's word.
    expect(run.measured).toMatchObject({ failovers: 0, splitBrainMs: 0, activeRegion: "us-east-1", rtoMs: 25 * 60_000 });
  }, 60_000);
});
