// CI's seed sweep, split across files so the parts run on both cores:
// randomized scenarios against the real controller, seeds printed. Each
// generated run carries what a correct controller must do (classify.ts):
// inside the one-failure envelope, fail over within the RTO and RPO or do
// nothing; outside it, keep the data safe (no split brain, no loss past the
// RPO). A run that breaks its own expectations fails the sweep.
import { describe, expect, it } from "vitest";
import type { Summary } from "../../src/sim/report.js";
import { cli } from "../helpers/cli.js";

export function sweepPart(first: number, count: number, label: string): void {
  const last = first + count - 1;
  describe(`seed sweep ${label}`, () => {
    it(`seeds ${first}..${last}: every run meets its class's expectations; inside the envelope no RTO breach and no split brain`, async () => {
      const r = await cli(["--json", "gameday", "--sweep", String(count), "--seed", String(first)]);
      const out = JSON.parse(r.stdout) as { passed: boolean; summary: Summary };
      const { byClass, ...totals } = out.summary;
      console.log(`sweep seeds ${first}..${last}: ${JSON.stringify({ ...totals, rtoMs: totals.rtoMs })}\n${JSON.stringify(byClass)}`);
      expect(out.summary.failedSeeds, "failing seeds (replay: failover gameday --sweep 1 --seed N --emit DIR)").toEqual([]);
      for (const [name, c] of Object.entries(byClass).filter(([, c]) => c.envelope === "inside")) {
        expect({ name, breaches: c.breaches, splitBrainWrites: c.splitBrainWrites, falseFailovers: c.falseFailovers }).toEqual({ name, breaches: 0, splitBrainWrites: 0, falseFailovers: 0 });
      }
      expect(out.summary.scenarios).toBe(count);
      expect(r.code).toBe(0);
    }, 400_000);
  });
}
