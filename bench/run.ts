// `npm run bench`: measured, never asserted (machines are noisy). Prints a
// seed sweep's wall time, peak RSS and RTO by class, the RTO by class of the
// same seeds with the sandbox's traffic on each strategy, then the
// simulator's speed and one controller's footprint (RSS, CPU, AWS calls), in
// the simulator and as the image runs it (dist/, its node flags).
//   BENCH_SWEEP=1000 npm run bench            (default 1000 seeds)
//   BENCH_WORKERS=1 npm run bench             (sweeps in one thread; default: available CPUs)
//   BENCH_STRATEGY_SEEDS=300 npm run bench    (seeds per strategy; default 300, 0 skips)

import { availableParallelism, cpus } from "node:os";
import { computeBudget } from "../src/config/index.js";
import { formatDurationMs } from "../src/core/index.js";
import { realController } from "../src/sim/real-controller.js";
import { formatClasses, percent, summarize, type ClassSummary } from "../src/sim/report.js";
import { runScenario, type Verdict } from "../src/sim/runner.js";
import { parseScenario } from "../src/sim/scenario.js";
import { scenarioConfig } from "../src/sim/sim-config.js";
import { runSweep } from "../src/sim/sweep-pool.js";
import { sweepFile, type TrafficStrategy } from "../src/sim/sweep-seed.js";
import { measureContainer } from "./container.js";
import { measureFootprint, type ChildReport } from "./footprint.js";

const ALL_FAULTS = `name: bench-all-faults
duration: 2h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 15m, kind: probe-noise, region: us-west-2, errorRate: 0.3 }
  - { at: 6m, until: 20m, kind: replication-lag, service: aurora, lag: 30s }
  - { at: 7m, until: 25m, kind: api-errors, service: rds, error: throttle, rate: 0.2 }
  - { at: 8m, until: 12m, kind: partition, between: [us-west-2, us-east-2] }
  - { at: 9m, kind: clock-skew, region: us-east-2, skew: 3s }
  - { at: 10m, kind: aurora-failover-stuck, duration: 3m }
  - { at: 30m, until: 60m, kind: region-outage, region: us-east-1 }
  - { at: 35m, kind: controller-crash, region: us-east-2, restartAfter: 2m }
  - { at: 70m, until: 80m, kind: control-plane-outage, service: route53 }
  - { at: 90m, until: 95m, kind: app-degraded, region: us-west-2, errorRate: 0.1 }
`;

const row = (name: string, value: string, note = "") => console.log(`${name.padEnd(50)} ${value.padStart(14)}  ${note}`);

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}\n`);

  // The sweep first: its peak RSS is this process's, which the simulator runs below would inflate.
  // 1. Seed sweep: wall time, peak RSS, RTO distribution vs the budget's lower bound.
  const n = Number(process.env.BENCH_SWEEP ?? 1000);
  const workers = process.env.BENCH_WORKERS === undefined ? availableParallelism() : Number(process.env.BENCH_WORKERS);
  const t0 = performance.now();
  let done = 0;
  // As `failover gameday --sweep`: seeds across worker threads, verdicts in seed order.
  const verdicts: Verdict[] = await runSweep(1, n, {
    controller: true,
    workers,
    onVerdict: () => {
      if (++done % 100 === 0) process.stderr.write(`  ${done}/${n} seeds\n`);
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  const sum = summarize(verdicts);
  row(`--sweep ${n} wall time`, `${wallS.toFixed(1)} s`, `(target < 30 s; ${workers} worker thread${workers === 1 ? "" : "s"})`);
  row("--sweep 10000 (projected)", `${((wallS * 10_000) / n / 60).toFixed(1)} min`, `(at this sweep's rate; BENCH_SWEEP=10000 runs it)`);
  row(`--sweep ${n} peak RSS`, `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`, "(target < 400 MiB; this process and its worker threads)");
  row("sweep: passed", `${sum.passed}/${sum.scenarios}`, `false failovers ${sum.falseFailovers}, split brain ${sum.splitBrainMs} ms`);
  // Each failing seed replays with: failover gameday --sweep 1 --seed N --emit DIR
  for (const v of verdicts.filter((x) => !x.passed)) row(`  failed: seed ${v.seed}`, `rto ${formatDurationMs(v.measured.rtoMs)}`, v.violations.join("; "));
  // The same seeds with no controller: the world's own cost (stepping, clients, replication), the
  // floor under any sweep of these scenarios; the rest of the wall time above is the controllers' cycles.
  const t1 = performance.now();
  await runSweep(1, n, { controller: false, workers });
  const worldS = (performance.now() - t1) / 1000;
  row(`--sweep ${n}, the world alone (no controller)`, `${worldS.toFixed(1)} s`, `(the same seeds and workers; the three controllers' cycles are the other ${Math.max(0, wallS - worldS).toFixed(1)} s)`);
  // RTO per class of run (classify.ts): percentiles over every run where a failover was due,
  // failover or not; "floor" is the class's lowest, "over" each run's RTO over its own floor (classify.ts rtoFloorMs).
  console.log(`\nRTO by class (seeds 1-${n}; floor: the fastest recovery the run's probe schedule, promotion and world timings allow; over: RTO over the run's own floor)`);
  console.log(formatClasses(sum.byClass));
  const budget = computeBudget(scenarioConfig(parseScenario(ALL_FAULTS, "bench"), "bench"));
  row("\nvalidate's worst case for this config", formatDurationMs(budget.totalMs), `(${budget.terms.map((t) => `${t.name} ${formatDurationMs(t.ms)}`).join(", ")})`);

  // 2. RTO by traffic strategy: the same seeds with the sandbox on each strategy (sweep-seed.ts `strategy`),
  // each verdict judged against the floor of the config it ran with.
  const ns = Number(process.env.BENCH_STRATEGY_SEEDS ?? 300);
  if (ns > 0) {
    const strategies: TrafficStrategy[] = ["health-check", "routing-control"];
    const byStrategy = new Map<TrafficStrategy, Record<string, ClassSummary>>();
    for (const strategy of strategies) {
      // health-check is the sandbox's own strategy: the main sweep's first seeds are those runs, verdict for verdict.
      if (strategy === "health-check" && ns <= n) {
        byStrategy.set(strategy, summarize(verdicts.slice(0, ns)).byClass);
        continue;
      }
      const t1 = performance.now();
      byStrategy.set(strategy, summarize(await runSweep(1, ns, { controller: true, workers, strategy })).byClass);
      process.stderr.write(`  ${strategy}: ${ns} seeds in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
    }
    console.log(`\nRTO by traffic strategy (seeds 1-${ns} on each; runs where a failover is due; floors per strategy's config)`);
    console.log(formatStrategies(byStrategy));
    for (const strategy of strategies) {
      const { file, text } = sweepFile(1, undefined, strategy);
      const b = computeBudget(scenarioConfig(parseScenario(text, file), file));
      row(`validate's worst case, ${strategy}`, formatDurationMs(b.totalMs), `(${b.terms.map((t) => `${t.name} ${formatDurationMs(t.ms)}`).join(", ")})`);
    }
  }

  // 3. Simulated time per wall second, with and without the controller.
  const all = parseScenario(ALL_FAULTS, "bench");
  for (const [label, opts] of [["no controller", {}], ["real controller (3 controllers)", { controller: realController }]] as const) {
    await runScenario(all, opts); // warm-up (module loading, JIT)
    const t0 = performance.now();
    const v = await runScenario(all, opts);
    const wallMs = performance.now() - t0;
    row(`2h all-fault scenario, ${label}`, `${Math.round(all.duration / wallMs)}x`, `(${wallMs.toFixed(0)} ms wall, ${v.measured.awsCalls} AWS calls; target >= 7200x)`);
  }

  // 4. One controller's footprint: each region's controller alone in a child process (footprint.ts).
  const fp = await measureFootprint();
  const mb = (kib: number) => `${Math.round((kib * 1024) / 1e6)} MB`;
  const worst = (f: (c: ChildReport) => number) => Math.max(...fp.children.map(f));
  const each = (f: (c: ChildReport) => string) => fp.children.map((c) => `${c.region} ${f(c)}`).join(", ");
  const cpuS = (c: ChildReport) => Math.max(0, c.cpuMsWith - c.cpuMsWithout) / 1_000 / fp.hours;
  const callsPerS = (c: ChildReport) => c.steadyCalls / c.steadySeconds;
  row("one controller: RSS (upper bound, world included)", mb(worst((c) => c.maxRssKiB)), `(target < 150 MB; peak of a process with the simulated world, tsx and one controller: ${each((c) => mb(c.maxRssKiB))}; world alone ${mb(fp.world.maxRssKiB)}, node + tsx alone ${mb(fp.bare.maxRssKiB)})`);
  row("one controller: CPU s per simulated hour", `${worst(cpuS).toFixed(3)} s`, `(1 h quiet run with one controller minus with none, median of ${fp.repeats} after warm-up: ${each((c) => cpuS(c).toFixed(3))}; no SigV4/HTTPS in the simulator)`);
  row("one controller: AWS calls / s (steady state)", worst(callsPerS).toFixed(2), `(target < 1/s; its own calls from 10m to 1h, no faults: ${each((c) => callsPerS(c).toFixed(2))})`);

  // 5. One controller as the image runs it: dist/, the ENTRYPOINT's node flags, no simulator (container.ts).
  const c = await measureContainer();
  if ("skipped" in c) {
    row("one controller as the image runs it", "skipped", c.skipped);
    return;
  }
  row("one controller as the image runs it: peak RSS", mb(c.maxRssKiB), `(target < 150 MB; dist/ with ${c.nodeFlags.join(" ")}, failover daemon for us-east-1, dynalite as DynamoDB, other endpoints refused)`);
  row("one controller as the image runs it: CPU s / hour", `${c.cpuSecondsPerHour.toFixed(1)} s`, `(wall-clock hour, measured over ${c.steadySeconds} s; real HTTP and SigV4 for DynamoDB)`);
  row("one controller as the image runs it: AWS calls / s", c.awsCallsPerSecond.toFixed(2), "(its /metrics, without the notifications about the refused endpoints)");
}

/** Per due class, one row per strategy, then how the second strategy compares with the first. */
function formatStrategies(byStrategy: Map<TrafficStrategy, Record<string, ClassSummary>>): string {
  const [base, other] = [...byStrategy.keys()] as [TrafficStrategy, TrafficStrategy];
  const classes = [...new Set([...byStrategy.values()].flatMap((c) => Object.keys(c).filter((k) => (c[k]?.due ?? 0) > 0)))].sort();
  const f = (ms: number) => formatDurationMs(ms).padStart(8);
  const rows = [`${"class".padEnd(16)} ${"strategy".padEnd(16)} ${"due".padStart(4)} ${"rto p50".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)} ${"floor min".padStart(9)} ${"over own p50/p99".padStart(16)}`];
  for (const name of classes) {
    for (const [strategy, c] of byStrategy) {
      const s = c[name];
      if (!s || s.due === 0) continue;
      const ratio = `${percent(s, "p50")} / ${percent(s, "p99")}`.padStart(16);
      rows.push(`${name.padEnd(16)} ${strategy.padEnd(16)} ${String(s.due).padStart(4)} ${f(s.rtoMs.p50)} ${f(s.rtoMs.p99)} ${f(s.rtoMs.max)} ${f(s.rtoFloorMs)}  ${ratio}`);
    }
    const a = byStrategy.get(base)?.[name];
    const b = byStrategy.get(other)?.[name];
    if (a && b && a.due > 0 && b.due > 0) {
      const target = name === "clean-outage" ? " (target: at least 60s lower, and p99 within 10% of each run's own floor)" : "";
      rows.push(`${"".padEnd(16)} p99 ${other} - ${base}: ${formatDurationMs(b.rtoMs.p99 - a.rtoMs.p99)}${target}`);
    }
  }
  return rows.join("\n");
}

await main();
process.exit(0);
