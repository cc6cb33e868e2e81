// CI's seed sweep, half 1 of 2 (split so the two halves run on both cores):
// 100 randomized scenarios against the real controller, seeds printed.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("seed sweep 1/2", () => {
  it("seeds 1..100: 0 split brain, 0 false failovers, every RTO and RPO <= 15 min", async () => {
    const r = await cli(["--json", "gameday", "--sweep", "100", "--seed", "1"]);
    const out = JSON.parse(r.stdout) as { passed: boolean; summary: { scenarios: number; falseFailovers: number; splitBrainMs: number; rtoMs: { max: number }; rpoMsMax: number; failedSeeds: number[] } };
    console.log(`sweep seeds 1..100: ${JSON.stringify(out.summary)}`);
    expect(out.summary.failedSeeds, "failing seeds (replay: failover gameday --sweep 1 --seed N --emit DIR)").toEqual([]);
    expect(out.summary).toMatchObject({ scenarios: 100, falseFailovers: 0, splitBrainMs: 0 });
    expect(out.summary.rtoMs.max).toBeLessThanOrEqual(15 * 60_000);
    expect(out.summary.rpoMsMax).toBeLessThanOrEqual(15 * 60_000);
    expect(r.code).toBe(0);
  }, 300_000);
});
