// CI's seed sweep, split across files so the parts run on both cores:
// randomized scenarios against the real controller, seeds printed. Each
// generated run carries what a correct controller must do (classify.ts):
// inside the one-failure envelope, fail over within the RTO and RPO or do
// nothing; outside it, keep the data safe (no split brain, no loss past the
// RPO). A run that breaks its own expectations fails the sweep.
//
// The same runs also pin the instrument: each seed's verdict (timeline
// included) must hash to what test/fixtures/sweep-verdicts.txt recorded, so
// a speed-up that changes a single verdict fails here. A deliberate change of
// the simulator or the controller re-records it:
//   UPDATE_SWEEP_VERDICTS=1 npx vitest run test/sim/sweep-
// and the diff of that file names the seeds whose verdicts moved.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Summary } from "../../src/sim/report.js";
import type { Verdict } from "../../src/sim/runner.js";
import { cli } from "../helpers/cli.js";

const RECORDED = new URL("../fixtures/sweep-verdicts.txt", import.meta.url);

const verdictHash = (v: Verdict): string => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);

function recorded(): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of readFileSync(RECORDED, "utf8").split("\n")) {
    const m = /^(\d+) ([0-9a-f]{16})$/.exec(line);
    if (m) out.set(Number(m[1]), m[2]!);
  }
  return out;
}

/** Writes this part's hashes into the file, keeping the other seeds' lines. */
function record(verdicts: Verdict[]): void {
  const all = recorded();
  for (const v of verdicts) all.set(v.seed, verdictHash(v));
  const header = readFileSync(RECORDED, "utf8").split("\n").filter((l) => l.startsWith("#"));
  const body = [...all].sort(([a], [b]) => a - b).map(([seed, h]) => `${seed} ${h}`);
  writeFileSync(RECORDED, `${[...header, ...body].join("\n")}\n`);
}

export function sweepPart(first: number, count: number, label: string): void {
  const last = first + count - 1;
  describe(`seed sweep ${label}`, () => {
    it(`seeds ${first}..${last}: every run meets its class's expectations; inside the envelope no RTO breach and no split brain; verdicts as recorded`, async () => {
      const r = await cli(["--json", "gameday", "--sweep", String(count), "--seed", String(first)]);
      const out = JSON.parse(r.stdout) as { passed: boolean; summary: Summary; scenarios: Verdict[] };
      const { byClass, ...totals } = out.summary;
      console.log(`sweep seeds ${first}..${last}: ${JSON.stringify({ ...totals, rtoMs: totals.rtoMs })}\n${JSON.stringify(byClass)}`);
      expect(out.summary.failedSeeds, "failing seeds (replay: failover gameday --sweep 1 --seed N --emit DIR)").toEqual([]);
      for (const [name, c] of Object.entries(byClass).filter(([, c]) => c.envelope === "inside")) {
        expect({ name, breaches: c.breaches, splitBrainWrites: c.splitBrainWrites, falseFailovers: c.falseFailovers }).toEqual({ name, breaches: 0, splitBrainWrites: 0, falseFailovers: 0 });
      }
      expect(out.summary.scenarios).toBe(count);
      expect(r.code).toBe(0);
      if (process.env.UPDATE_SWEEP_VERDICTS === "1") record(out.scenarios);
      const want = recorded();
      const moved = out.scenarios.filter((v) => want.get(v.seed) !== verdictHash(v)).map((v) => v.seed);
      expect(moved, "seeds whose verdict differs from test/fixtures/sweep-verdicts.txt (replay one: failover gameday --sweep 1 --seed N --json)").toEqual([]);
    }, 400_000);
  });
}
