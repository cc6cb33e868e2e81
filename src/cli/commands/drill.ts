// `failover --drill`: readiness checks, then a rehearsal. By default the
// rehearsal runs in the simulated twin (the active region goes dark; the
// real controllers fail over; then fail back). With --live it is a planned
// switchover on the real resources, then the failback. The checks read AWS
// unless --sandbox, which runs everything in the twin (no account needed).

import { loadConfig, type Config } from "../../config/index.js";
import { formatDurationMs, type Region } from "../../core/index.js";
import type { FailoverController } from "../../controller/index.js";
import type { DrillPhase } from "../../sim/drill.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { regionOption, withController } from "./controller-session.js";
import { readinessChecks, type ReadinessCheck } from "./drill-checks.js";

interface Options {
  config: string;
  to?: string;
  live?: boolean;
  failback: boolean;
  sandbox?: boolean;
  region?: string;
}

export interface DrillReport {
  config: string;
  rehearsal: "twin" | "live";
  checksAgainst: "aws" | "twin";
  target?: Region;
  passed: boolean;
  checks: ReadinessCheck[];
  phases: DrillPhase[];
  /** Why the drill did not pass, one line each. */
  problems: string[];
  limits: { rtoMs: number; rpoMs: number };
}

/** Planned switchover to `to`, then back unless told not to; RTO is the runbook's duration here (no clients to watch). */
async function livePhases(c: FailoverController, config: Config, to: Region | undefined, failback: boolean): Promise<DrillPhase[]> {
  const from = c.status().activeRegion ?? config.regions[0]!;
  const target = to ?? config.regions.find((r) => r !== from)!;
  const phases: DrillPhase[] = [];
  const one = async (name: DrillPhase["name"], dest: Region): Promise<boolean> => {
    const r = await c.failoverTo(dest, "planned");
    phases.push({ name, runbook: r.runbook, from: r.from, to: r.to, status: r.status, startedAtMs: r.startedAtMs, endedAtMs: r.endedAtMs, rtoMs: r.endedAtMs - r.startedAtMs, rpoMs: null });
    return r.status === "succeeded";
  };
  if ((await one("switchover", target)) && failback) await one("failback", from);
  return phases;
}

function judge(report: Omit<DrillReport, "passed" | "problems">): string[] {
  const p: string[] = [];
  for (const c of report.checks) if (!c.ok) p.push(`check ${c.name}: ${c.detail}`);
  for (const ph of report.phases) {
    if (ph.status !== "succeeded") p.push(`${ph.name}: ${ph.status}${ph.detail ? ` (${ph.detail})` : ""}`);
    if (ph.rtoMs !== null && ph.rtoMs > report.limits.rtoMs) p.push(`${ph.name}: RTO ${formatDurationMs(ph.rtoMs)} exceeds ${formatDurationMs(report.limits.rtoMs)}`);
    if (ph.rpoMs !== null && ph.rpoMs > report.limits.rpoMs) p.push(`${ph.name}: RPO ${formatDurationMs(ph.rpoMs)} exceeds ${formatDurationMs(report.limits.rpoMs)}`);
  }
  if (report.target && report.phases[0]?.to && report.phases[0].to !== report.target) p.push(`the failover went to ${report.phases[0].to}, not ${report.target}`);
  if (report.phases.length === 0 && report.rehearsal === "live") p.push("no live phase ran: the readiness checks must pass first");
  return p;
}

const dur = (ms: number | null) => (ms === null ? "-" : formatDurationMs(ms));

function formatReport(r: DrillReport): string {
  const lines = [`drill of ${r.config}: checks against ${r.checksAgainst === "aws" ? "AWS" : "the simulated twin"}, rehearsal ${r.rehearsal === "live" ? "LIVE on the real resources" : "in the simulated twin"}`, "", "readiness checks"];
  for (const c of r.checks) lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(14)} ${c.detail}`);
  lines.push("", `phases${" ".repeat(8)}runbook     route                    status       duration  RTO       RPO`);
  for (const p of r.phases) {
    lines.push(`  ${p.name.padEnd(12)}${p.runbook.padEnd(12)}${`${p.from} -> ${p.to ?? "?"}`.padEnd(25)}${p.status.padEnd(13)}${dur(p.endedAtMs - p.startedAtMs).padEnd(10)}${dur(p.rtoMs).padEnd(10)}${dur(p.rpoMs)}`);
  }
  if (r.phases.length === 0) lines.push("  (none ran)");
  lines.push("", r.passed ? `PASSED: within RTO ${formatDurationMs(r.limits.rtoMs)} and RPO ${formatDurationMs(r.limits.rpoMs)}` : `FAILED:\n${r.problems.map((p) => `- ${p}`).join("\n")}`);
  return `${lines.join("\n")}\n`;
}

/** The `--drill` command; main.ts routes `failover --drill ...` here. */
export const drillCommand: Registrar = (program, io, run, globals) => {
  program
    .command("drill")
    .description("readiness checks, then a rehearsal of the failover (simulated twin by default; --live: switchover and failback on the real resources). Also: failover --drill")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--to <region>", "the region to fail over to")
    .option("--live", "rehearse on the real resources: planned switchover (no data loss), then failback")
    .option("--no-failback", "stop after the first phase")
    .option("--sandbox", "run the checks (and --live) against the simulated twin instead of AWS")
    .option("--region <region>", "observe from this region's point of view (default: the witness)")
    .action((opts: Options) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        if (opts.to && !config.regions.includes(opts.to)) throw new UsageError(`--to must be an app region of the config (${config.regions.join(", ")}), got ${opts.to}`);
        const sandbox = opts.sandbox === true;
        const observer = regionOption(config, opts.region);
        const { checks, phases: live } = await withController(config, observer, sandbox, async (c, adapters) => {
          const checks = await readinessChecks(config, c, adapters);
          // Never touch real resources when the checks fail.
          const phases = opts.live && checks.every((x) => x.ok) ? await livePhases(c, config, opts.to, opts.failback) : [];
          return { checks, phases };
        });
        const phases = opts.live ? live : await (await import("../../sim/drill.js")).rehearseInTwin(config, { failback: opts.failback });
        const base = { config: opts.config, rehearsal: opts.live ? ("live" as const) : ("twin" as const), checksAgainst: sandbox ? ("twin" as const) : ("aws" as const), ...(opts.to && { target: opts.to }), checks, phases, limits: { rtoMs: config.policy.rto, rpoMs: config.policy.rpo } };
        const problems = judge(base);
        const report: DrillReport = { ...base, passed: problems.length === 0, problems };
        io.stdout(globals().json ? `${JSON.stringify(report)}\n` : formatReport(report));
        return report.passed ? EXIT.ok : EXIT.problem;
      }),
    );
};
