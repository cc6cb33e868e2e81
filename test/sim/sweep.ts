// CI's seed sweep, split across files so the halves run on both cores:
// randomized scenarios against the real controller, seeds printed.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

export function sweepHalf(first: number, count: number, label: string): void {
  const last = first + count - 1;
  describe(`seed sweep ${label}`, () => {
    it(`seeds ${first}..${last}: 0 split brain, 0 false failovers, every RTO and RPO <= 15 min`, async () => {
      const r = await cli(["--json", "gameday", "--sweep", String(count), "--seed", String(first)]);
      const out = JSON.parse(r.stdout) as { passed: boolean; summary: { scenarios: number; falseFailovers: number; splitBrainMs: number; rtoMs: { max: number }; rpoMsMax: number; failedSeeds: number[] } };
      console.log(`sweep seeds ${first}..${last}: ${JSON.stringify(out.summary)}`);
      expect(out.summary.failedSeeds, "failing seeds (replay: failover gameday --sweep 1 --seed N --emit DIR)").toEqual([]);
      expect(out.summary).toMatchObject({ scenarios: count, falseFailovers: 0, splitBrainMs: 0 });
      expect(out.summary.rtoMs.max).toBeLessThanOrEqual(15 * 60_000);
      expect(out.summary.rpoMsMax).toBeLessThanOrEqual(15 * 60_000);
      expect(r.code).toBe(0);
    }, 300_000);
  });
}
