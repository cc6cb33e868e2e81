// Verdicts for humans (a timeline table and the verdict, coloured on a TTY
// only) and the summary of a folder or a sweep.

import { formatDurationMs } from "../core/index.js";
import type { Verdict } from "./runner.js";

export interface Summary {
  scenarios: number;
  passed: number;
  rtoMs: { p50: number; p90: number; p99: number; max: number };
  rpoMsMax: number;
  failovers: number;
  falseFailovers: number;
  splitBrainMs: number;
  escalations: number;
  failedSeeds: number[];
  /** Per class of situation (classify.ts): what the instrument says about each kind of run. */
  byClass: Record<string, ClassSummary>;
}

export interface ClassSummary {
  runs: number;
  envelope: "inside" | "outside";
  /** Runs where a failover was due; RTO percentiles cover every one of them, failover or not. */
  due: number;
  rtoMs: { p50: number; p99: number; max: number };
  /** The lowest RTO floor of the class: the fastest recovery the world's own timings allow. */
  rtoFloorMs: number;
  /**
   * Each due run's RTO over its own floor (rto / floor - 1; 0.1 is 10 % over):
   * what the controller itself added, with the seed's hardness (a slow
   * promotion, a late probe phase, a long client cache) taken out.
   */
  overFloor: { p50: number; p99: number; max: number };
  /** Runs whose RTO exceeded the scenario's expected RTO. */
  breaches: number;
  falseFailovers: number;
  splitBrainWrites: number;
  failed: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export function summarize(verdicts: readonly Verdict[]): Summary {
  const rto = verdicts.map((v) => v.measured.rtoMs).sort((a, b) => a - b);
  return {
    scenarios: verdicts.length,
    passed: verdicts.filter((v) => v.passed).length,
    rtoMs: { p50: pct(rto, 50), p90: pct(rto, 90), p99: pct(rto, 99), max: rto.at(-1) ?? 0 },
    rpoMsMax: Math.max(0, ...verdicts.map((v) => v.measured.rpoMs)),
    failovers: verdicts.reduce((s, v) => s + v.measured.failovers, 0),
    falseFailovers: verdicts.reduce((s, v) => s + v.measured.falseFailovers, 0),
    splitBrainMs: verdicts.reduce((s, v) => s + v.measured.splitBrainMs, 0),
    escalations: verdicts.reduce((s, v) => s + v.measured.escalations, 0),
    failedSeeds: verdicts.filter((v) => !v.passed).map((v) => v.seed),
    byClass: summarizeClasses(verdicts),
  };
}

export function summarizeClasses(verdicts: readonly Verdict[]): Record<string, ClassSummary> {
  const groups = new Map<string, Verdict[]>();
  for (const v of verdicts) groups.set(v.measured.class, [...(groups.get(v.measured.class) ?? []), v]);
  const out: Record<string, ClassSummary> = {};
  for (const [name, vs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const due = vs.filter((v) => v.measured.due === "failover");
    const rto = (due.length > 0 ? due : vs).map((v) => v.measured.rtoMs).sort((a, b) => a - b);
    const over = due.filter((v) => v.measured.rtoFloorMs > 0).map((v) => v.measured.rtoMs / v.measured.rtoFloorMs - 1).sort((a, b) => a - b);
    out[name] = {
      runs: vs.length,
      envelope: vs[0]!.measured.envelope,
      due: due.length,
      rtoMs: { p50: pct(rto, 50), p99: pct(rto, 99), max: rto.at(-1) ?? 0 },
      rtoFloorMs: due.length > 0 ? Math.min(...due.map((v) => v.measured.rtoFloorMs)) : 0,
      overFloor: { p50: pct(over, 50), p99: pct(over, 99), max: over.at(-1) ?? 0 },
      breaches: vs.filter((v) => v.violations.some((x) => x.startsWith("rto "))).length,
      falseFailovers: vs.reduce((n, v) => n + v.measured.falseFailovers, 0),
      splitBrainWrites: vs.reduce((n, v) => n + v.measured.splitBrainWrites, 0),
      failed: vs.filter((v) => !v.passed).length,
    };
  }
  return out;
}

/** A due class's RTO over the runs' own floors, as a signed percentage ("" when nothing was due). */
export function percent(c: ClassSummary, at: "p50" | "p99" | "max"): string {
  if (c.due === 0) return "";
  const p = Math.round(c.overFloor[at] * 100);
  return `${p >= 0 ? "+" : ""}${p}%`;
}

/** The per-class table (README, bench, sweeps for humans). */
export function formatClasses(byClass: Record<string, ClassSummary>): string {
  const rows = [`${"class".padEnd(18)} ${"envelope".padEnd(8)} ${"runs".padStart(5)} ${"due".padStart(4)} ${"rto p50".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)} ${"floor".padStart(8)} ${"over p50".padStart(8)} ${"p99".padStart(5)} ${"breach".padStart(6)} ${"false".padStart(5)} ${"sb wr".padStart(6)} ${"failed".padStart(6)}`];
  for (const [name, c] of Object.entries(byClass)) {
    const f = (ms: number) => formatDurationMs(ms).padStart(8);
    rows.push(`${name.padEnd(18)} ${c.envelope.padEnd(8)} ${String(c.runs).padStart(5)} ${String(c.due).padStart(4)} ${f(c.rtoMs.p50)} ${f(c.rtoMs.p99)} ${f(c.rtoMs.max)} ${f(c.rtoFloorMs)} ${percent(c, "p50").padStart(8)} ${percent(c, "p99").padStart(5)} ${String(c.breaches).padStart(6)} ${String(c.falseFailovers).padStart(5)} ${String(c.splitBrainWrites).padStart(6)} ${String(c.failed).padStart(6)}`);
  }
  return rows.join("\n");
}

const INTERESTING = /^(fault\.|decision|escalation|failover\.completed|runbook\.|aurora\.|dns\.answer|controller\.|lease\.)/;

export function formatVerdict(v: Verdict, colour: boolean): string {
  const c = (code: number, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines = [`${c(1, v.scenario)} (seed ${v.seed})`, ""];
  lines.push(`${"time".padStart(9)}  event                 detail`);
  for (const e of v.timeline.filter((x) => INTERESTING.test(x.event))) {
    lines.push(`${formatDurationMs(e.atMs).padStart(9)}  ${e.event.padEnd(21)} ${JSON.stringify(e.detail ?? {}).slice(0, 110)}`);
  }
  const m = v.measured;
  lines.push("", `rto ${formatDurationMs(m.rtoMs)}  rpo ${formatDurationMs(m.rpoMs)}  failovers ${m.failovers} (false ${m.falseFailovers})  split brain ${formatDurationMs(m.splitBrainMs)}  escalations ${m.escalations}  active ${m.activeRegion}  aws calls ${m.awsCalls}`);
  lines.push(v.passed ? c(32, "PASSED") : `${c(31, "FAILED")}\n${v.violations.map((x) => `  - ${x}`).join("\n")}`);
  return lines.join("\n");
}

export function formatSummary(s: Summary, colour: boolean): string {
  const ok = s.passed === s.scenarios;
  const c = (code: number, t: string) => (colour ? `\u001b[${code}m${t}\u001b[0m` : t);
  return [
    `${s.passed}/${s.scenarios} scenarios passed`,
    `rto p50 ${formatDurationMs(s.rtoMs.p50)}  p90 ${formatDurationMs(s.rtoMs.p90)}  p99 ${formatDurationMs(s.rtoMs.p99)}  max ${formatDurationMs(s.rtoMs.max)}  rpo max ${formatDurationMs(s.rpoMsMax)}`,
    `failovers ${s.failovers}  false failovers ${s.falseFailovers}  split brain ${formatDurationMs(s.splitBrainMs)}  escalations ${s.escalations}`,
    formatClasses(s.byClass),
    s.failedSeeds.length ? `failing seeds: ${s.failedSeeds.join(", ")} (replay: failover gameday --sweep 1 --seed <seed> --emit DIR)` : "",
    ok ? c(32, "PASSED") : c(31, "FAILED"),
  ].filter(Boolean).join("\n");
}
