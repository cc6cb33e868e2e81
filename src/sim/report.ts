// Verdicts for machines (--json: one document, byte-identical for the same
// scenario and seed) and for humans (a timeline table and the verdict,
// coloured only on a terminal).

import { formatDurationMs } from "../core/index.js";
import type { Verdict } from "./runner.js";

export interface Summary {
  scenarios: number;
  passedScenarios: number;
  rtoMs: { p50: number; p90: number; p99: number; max: number };
  rpoMs: { max: number };
  failovers: number;
  falseFailovers: number;
  splitBrainMs: number;
  escalations: number;
  lostWrites: number;
  awsCalls: number;
}

export interface VerdictSet {
  scenarios: Verdict[];
  passed: boolean;
  summary: Summary;
}

/** Nearest-rank percentile of an ascending list (0 for an empty one). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(verdicts: readonly Verdict[]): VerdictSet {
  const rtos = verdicts.map((v) => v.measured.rtoMs).sort((a, b) => a - b);
  const sum = (f: (v: Verdict) => number) => verdicts.reduce((s, v) => s + f(v), 0);
  return {
    scenarios: [...verdicts],
    passed: verdicts.every((v) => v.passed),
    summary: {
      scenarios: verdicts.length,
      passedScenarios: verdicts.filter((v) => v.passed).length,
      rtoMs: { p50: percentile(rtos, 50), p90: percentile(rtos, 90), p99: percentile(rtos, 99), max: rtos.at(-1) ?? 0 },
      rpoMs: { max: verdicts.reduce((m, v) => Math.max(m, v.measured.rpoMs), 0) },
      failovers: sum((v) => v.measured.failovers),
      falseFailovers: sum((v) => v.measured.falseFailovers),
      splitBrainMs: sum((v) => v.measured.splitBrainMs),
      escalations: sum((v) => v.measured.escalations),
      lostWrites: sum((v) => v.measured.lostWrites),
      awsCalls: sum((v) => v.measured.awsCalls),
    },
  };
}

export function toJson(value: Verdict | VerdictSet): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// ---------- text ----------

export interface Style {
  ok: (s: string) => string;
  bad: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const plain: Style = { ok: (s) => s, bad: (s) => s, dim: (s) => s, bold: (s) => s };
const ansi: Style = {
  ok: (s) => `\u001b[32m${s}\u001b[0m`,
  bad: (s) => `\u001b[31m${s}\u001b[0m`,
  dim: (s) => `\u001b[2m${s}\u001b[0m`,
  bold: (s) => `\u001b[1m${s}\u001b[0m`,
};

export const styleFor = (tty: boolean): Style => (tty ? ansi : plain);

/** 3_723_456 -> "1:02:03.456". */
export function clockTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${String(rest).padStart(3, "0")}`;
}

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

const BAD_EVENTS = new Set(["clients.failing", "split-brain.start", "controller.crash", "controller.error", "escalation", "aurora.stale-writer"]);
const GOOD_EVENTS = new Set(["clients.recovered", "split-brain.end", "aurora.promoted", "writer.changed", "failover.completed"]);

export function formatVerdictText(v: Verdict, style: Style): string {
  const lines: string[] = [];
  lines.push(style.bold(`scenario ${v.scenario}  (seed ${v.seed}, controller ${v.controller})`));
  const width = Math.max(5, ...v.timeline.map((e) => e.event.length));
  lines.push(style.dim(`${"time".padEnd(12)}  ${"event".padEnd(width)}  detail`));
  for (const e of v.timeline) {
    const name = e.event.padEnd(width);
    const coloured = BAD_EVENTS.has(e.event) ? style.bad(name) : GOOD_EVENTS.has(e.event) ? style.ok(name) : name;
    lines.push(`${style.dim(clockTime(e.atMs).padEnd(12))}  ${coloured}  ${detailText(e.detail)}`);
  }
  const m = v.measured;
  lines.push("");
  lines.push(
    `measured: rto ${formatDurationMs(m.rtoMs)}, rpo ${formatDurationMs(m.rpoMs)} (${m.lostWrites} writes lost), failovers ${m.failovers} (false ${m.falseFailovers}), ` +
      `split brain ${formatDurationMs(m.splitBrainMs)}, escalations ${m.escalations}, active ${m.activeRegion}, AWS calls ${m.awsCalls}`,
  );
  lines.push(v.passed ? style.ok("PASS") : `${style.bad("FAIL")}\n${v.violations.map((x) => `  - ${x}`).join("\n")}`);
  return `${lines.join("\n")}\n`;
}

export function formatSummaryText(set: VerdictSet, style: Style): string {
  const s = set.summary;
  return (
    `${style.bold("summary")}: ${s.passedScenarios}/${s.scenarios} passed; rto p50 ${formatDurationMs(s.rtoMs.p50)}, p90 ${formatDurationMs(s.rtoMs.p90)}, ` +
    `p99 ${formatDurationMs(s.rtoMs.p99)}, max ${formatDurationMs(s.rtoMs.max)}; rpo max ${formatDurationMs(s.rpoMs.max)}; failovers ${s.failovers} ` +
    `(false ${s.falseFailovers}); split brain ${formatDurationMs(s.splitBrainMs)}; escalations ${s.escalations}\n` +
    (set.passed ? style.ok("PASS") : style.bad("FAIL")) +
    "\n"
  );
}
