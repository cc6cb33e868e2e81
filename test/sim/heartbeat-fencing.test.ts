// The kill-switch heartbeat when a controller is cut off from the store:
// the active region's own controller stops vouching for it after a lease of
// silence. Proven both ways: it gets clients to the new writer when the
// quorum failed over an isolated primary, and it moves nothing when nobody
// failed over (Route 53 answers the PRIMARY when every check is unhealthy).
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

interface Run {
  passed: boolean;
  violations: string[];
  measured: { rtoMs: number; failovers: number; splitBrainMs: number; activeRegion: string };
  timeline: { atMs: number; event: string; detail: Record<string, unknown> }[];
}

async function gameday(file: string): Promise<Run> {
  const r = await cli(["--json", "gameday", "--scenario", `test/fixtures/scenarios/${file}`]);
  return JSON.parse(r.stdout) as Run;
}

const at = (run: Run, event: string, detail: Record<string, unknown>) =>
  run.timeline.find((e) => e.event === event && Object.entries(detail).every(([k, v]) => e.detail[k] === v))?.atMs;

describe("heartbeat of a controller cut off from the store", () => {
  it("an isolated primary: the quorum fails over and clients reach the new writer while the partition lasts", async () => {
    const run = await gameday("primary-isolated.yaml");
    expect(run.violations).toEqual([]);
    expect(run.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2" });
    // The second writer Aurora cannot fence across the partition takes writes only until the
    // flip and the TTL move its clients: at most alarm delay + 3 x 10 s checks + TTL - the
    // promotion's minute (docs/failure-modes.md), and not 0: the simulator can show it.
    expect(run.measured.splitBrainMs).toBeGreaterThan(0);
    expect(run.measured.splitBrainMs).toBeLessThanOrEqual(60_000 + 30_000 + 60_000 - 60_000);
    // Before the fix clients waited for the partition to heal (44m): RTO 19m.
    const moved = at(run, "dns.answer", { region: "us-west-2" });
    expect(moved).toBeDefined();
    expect(moved!).toBeLessThan(44 * 60_000);
    expect(run.measured.rtoMs).toBeLessThanOrEqual(5 * 60_000);
  }, 120_000);

  it("the primary cut from the store while nobody else vouches for it: its check goes unhealthy, yet DNS stays put", async () => {
    const run = await gameday("primary-cut-from-store-alone.yaml");
    expect(run.violations).toEqual([]);
    const unhealthy = at(run, "route53.healthcheck", { region: "us-east-1", healthy: false });
    expect(unhealthy).toBeGreaterThan(10 * 60_000);
    expect(run.timeline.filter((e) => e.event === "dns.answer")).toEqual([]);
    expect(run.measured).toMatchObject({ rtoMs: 0, failovers: 0, activeRegion: "us-east-1" });
  }, 120_000);
});
