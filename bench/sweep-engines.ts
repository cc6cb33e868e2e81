// The same randomized sweep seeds with both runbook engines, one after the
// other in this thread: `npx tsx bench/sweep-engines.ts FIRST COUNT`.
// Prints, per engine, passes, split brain, false failovers and the RTO/RPO
// distribution, and the Step Functions engine's RTO against the local
// engine's on the seeds where both failed over. Measured, never asserted.

import { realController } from "../src/sim/real-controller.js";
import { runScenario, type Verdict } from "../src/sim/runner.js";
import { parseScenario } from "../src/sim/scenario.js";
import { sweepFile } from "../src/sim/sweep-seed.js";
import { withRunbookEngine, type EngineName } from "../src/sim/engine-override.js";

const first = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 200);
const ENGINES: EngineName[] = ["local", "step-functions"];
const runs: Record<EngineName, Verdict[]> = { local: [], "step-functions": [] };
const started = Date.now();

for (let seed = first; seed < first + count; seed++) {
  const { file, text } = sweepFile(seed, undefined);
  for (const engine of ENGINES) {
    const v = await runScenario(withRunbookEngine(parseScenario(text, file), engine), { file, controller: realController });
    runs[engine].push(v);
    if (!v.passed) process.stderr.write(`FAIL ${engine} seed ${seed}: ${v.violations.join("; ")}\n`);
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const summary = Object.fromEntries(
  ENGINES.map((engine) => {
    const vs = runs[engine];
    const rtos = vs.map((v) => v.measured.rtoMs).filter((ms) => ms > 0);
    return [
      engine,
      {
        runs: vs.length,
        passed: vs.filter((v) => v.passed).length,
        failovers: vs.reduce((n, v) => n + v.measured.failovers, 0),
        falseFailovers: vs.reduce((n, v) => n + v.measured.falseFailovers, 0),
        falseFailoverSeeds: vs.filter((v) => v.measured.falseFailovers > 0).map((v) => v.seed),
        splitBrainMs: vs.reduce((n, v) => n + v.measured.splitBrainMs, 0),
        rtoMs: { p50: pct(rtos, 50), p90: pct(rtos, 90), p99: pct(rtos, 99), max: Math.max(0, ...rtos) },
        rpoMaxMs: Math.max(0, ...vs.map((v) => v.measured.rpoMs)),
        over15m: vs.filter((v) => v.measured.rtoMs > 900_000 || v.measured.rpoMs > 900_000).map((v) => v.seed),
        failedSeeds: vs.filter((v) => !v.passed).map((v) => v.seed),
      },
    ];
  }),
);
// RTO on the same seeds, where both engines saw an outage.
const pairs = runs.local.map((l, i) => [l.measured.rtoMs, runs["step-functions"][i]!.measured.rtoMs, l.seed] as const).filter(([l, s]) => l > 0 && s > 0);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const ratios = pairs.map(([l, s]) => s / l);
const comparison = {
  seedsWithOutage: pairs.length,
  totalRtoRatio: Number((sum(pairs.map(([, s]) => s)) / Math.max(1, sum(pairs.map(([l]) => l)))).toFixed(4)),
  medianRatio: Number(pct(ratios, 50).toFixed(4)),
  p90Ratio: Number(pct(ratios, 90).toFixed(4)),
  /** The seeds where the engines' RTOs differ most (seed, local ms, step-functions ms). */
  widest: [...pairs].sort((a, b) => Math.abs(b[1] - b[0]) - Math.abs(a[1] - a[0])).slice(0, 5).map(([l, s, seed]) => ({ seed, localMs: l, stepFunctionsMs: s })),
};
process.stdout.write(`${JSON.stringify({ first, count, wallSeconds: Math.round((Date.now() - started) / 1000), summary, comparison }, null, 2)}\n`);
