// `failover plan` and `failover status`: one gather + decide, changing
// nothing. Against AWS by default; with --sandbox, against a simulated twin
// of the config's world after a minute of normal operation.

import { formatDurationMs, type Decision, type Region } from "../../core/index.js";
import { loadConfig } from "../../config/index.js";
import { readinessChecks, runbookInput } from "../../controller/index.js";
import { happyPath, type RunbookName } from "../../runbooks/index.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { regionOption, withController } from "./controller-session.js";
import { loadRunbooks } from "./runbooks.js";

interface Options {
  config: string;
  region?: string;
  to?: string;
  sandbox?: boolean;
}

export const inspectCommands: Registrar = (program, io, run, globals) => {
  program
    .command("plan")
    .description("what the controller would do now: the decision, the runbook path and the exact AWS calls, changing nothing")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--to <region>", "plan a failover to this region even if the policy would not act now")
    .option("--region <region>", "observe from this region's point of view (default: the witness)")
    .option("--sandbox", "against a simulated twin of the config's world instead of AWS")
    .action((opts: Options) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        if (opts.to && !config.regions.includes(opts.to)) throw new UsageError(`--to must be an app region of the config (${config.regions.join(", ")}), got ${opts.to}`);
        const runbooks = await loadRunbooks(config);
        const { decision, active, errors, status } = await withController(config, regionOption(config, opts.region), opts.sandbox === true, async (c) => ({ ...(await c.assess()), status: c.status() }));
        const move = chosenMove(decision, active, opts.to, status.writerRegion === active);
        const plan = move
          ? (() => {
              const input = runbookInput(config, { incidentId: "plan", epoch: status.lease.epoch + 1, from: move.from, to: move.to, approvalRequired: config.policy.mode === "manual" });
              return { runbook: move.runbook, from: move.from, to: move.to, steps: happyPath(runbooks[move.runbook], input) };
            })()
          : undefined;
        if (globals().json) io.stdout(`${JSON.stringify({ decision, activeRegion: active, plan, errors })}\n`);
        else {
          io.stdout(`active region: ${active}\ndecision: ${decision.action} (${decision.action === "escalate" ? decision.detail : decision.reason})\n`);
          if (plan) {
            io.stdout(`\nrunbook ${plan.runbook}: ${plan.from} -> ${plan.to}, under lease epoch ${status.lease.epoch + 1}\n`);
            for (const s of plan.steps) io.stdout(`  ${s.state.padEnd(26)} ${s.action ? `${s.action.padEnd(34)} ${s.region}${s.mutating ? "" : "  (read)"}` : s.type}\n`);
          } else io.stdout("no runbook would run now (use --to REGION to plan one)\n");
          for (const e of errors) io.stderr(`warning: ${e}\n`);
        }
        return EXIT.ok;
      }),
    );
  program
    .command("status")
    .description("regions and their health per observer, active region, lag, lease holder and epoch, incident in progress")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--region <region>", "observe from this region's point of view (default: the witness)")
    .option("--sandbox", "against a simulated twin of the config's world instead of AWS")
    .action((opts: Options) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        // Readiness (the daemon runs the same checks every 30 minutes): judged from this assessment, reads only.
        const { errors, s, readiness, execution, nowMs } = await withController(config, regionOption(config, opts.region), opts.sandbox === true, async (c, adapters) => {
          const assessed = await c.assess();
          const checks = await readinessChecks(config, c, adapters, { assess: false });
          // Engine step-functions: the execution acting for the incident, wherever it is followed.
          const exec = await c.incidentExecution().catch((err: unknown) => (assessed.errors.push(err instanceof Error ? err.message : String(err)), undefined));
          return { ...assessed, s: c.status(), readiness: checks.map((x) => ({ check: x.name, ok: x.ok, detail: x.detail })), execution: exec, nowMs: c.nowMs() };
        });
        if (globals().json) io.stdout(`${JSON.stringify({ ...s, readiness, ...(execution && { execution }), errors })}\n`);
        else {
          const disputed = s.writerClaims ? ` (disputed: ${Object.entries(s.writerClaims).sort(([a], [b]) => a.localeCompare(b)).map(([r, w]) => `${r} names ${w}`).join(", ")})` : "";
          io.stdout(`application ${s.application}: active ${s.activeRegion ?? "unknown"}, writer ${s.writerRegion ?? "unknown"}${disputed}\n`);
          io.stdout(`lease: ${s.lease.holder ?? "free"} (epoch ${s.lease.epoch})${s.incident ? `; incident ${s.incident.id} ${s.incident.state}` : ""}\n`);
          if (execution) {
            const since = execution.stateSinceMs !== undefined ? ` for ${formatDurationMs(Math.max(0, nowMs - execution.stateSinceMs))}` : "";
            io.stdout(`execution: ${execution.executionArn} ${execution.status}${execution.state ? `, in ${execution.state}${since}` : ""}\n  ${execution.consoleUrl}\n`);
          }
          io.stdout("\n");
          const regions = config.regions;
          io.stdout(`${"observer".padEnd(12)}${regions.map((r) => r.padEnd(12)).join("")}\n`);
          for (const v of s.views) io.stdout(`${v.observer.padEnd(12)}${regions.map((r) => (v.regions[r]?.state ?? "-").padEnd(12)).join("")}\n`);
          io.stdout(`\nlag (ms): ${Object.entries(s.lag?.auroraLagMs ?? {}).map(([r, ms]) => `aurora ${r} ${Math.round(ms)}`).join(", ") || "unknown"}\n`);
          io.stdout(`\nreadiness:\n${readiness.map((r) => `  ${r.ok ? "ok  " : "FAIL"} ${r.check.padEnd(14)} ${r.detail}`).join("\n")}\n`);
          for (const e of errors) io.stderr(`warning: ${e}\n`);
        }
        return errors.length > 0 && !s.ready ? EXIT.runtime : EXIT.ok;
      }),
    );
};

function chosenMove(decision: Decision, active: Region, to: Region | undefined, primaryAnswers: boolean): { runbook: RunbookName; from: Region; to: Region } | undefined {
  if (to) return { runbook: to === active ? "failback" : primaryAnswers ? "switchover" : "failover", from: active, to };
  if (decision.action === "failover") return { runbook: decision.mode === "planned" ? "switchover" : "failover", from: decision.from, to: decision.to };
  if (decision.action === "failback") return { runbook: "failback", from: decision.from, to: decision.to };
  return undefined;
}
