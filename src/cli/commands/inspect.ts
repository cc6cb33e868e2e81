// `failover plan` and `failover status`: one gather + decide, changing
// nothing. Against AWS by default; with --sandbox, against a simulated twin
// of the config's world after a minute of normal operation.

import { realClock, type Decision, type Region } from "../../core/index.js";
import { loadConfig, type Config } from "../../config/index.js";
import { createAwsAdapters } from "../../aws/index.js";
import { FailoverController, runbookInput } from "../../controller/index.js";
import { fetchHttp, sandboxScenario } from "../../daemon/index.js";
import { happyPath, lintRunbook, loadRunbook, toConfigError, type Definition, type RunbookName } from "../../runbooks/index.js";
import { realController } from "../../sim/lite/real-controller.js";
import { SimSession } from "../../sim/lite/runner.js";
import { parseScenario } from "../../sim/lite/scenario.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { runbookFiles } from "./runbooks.js";

async function loadRunbooks(config: Config): Promise<Record<RunbookName, Definition>> {
  const out = {} as Record<RunbookName, Definition>;
  for (const [name, file] of Object.entries(runbookFiles(config)) as [RunbookName, string][]) {
    const def = await loadRunbook(file);
    const issues = lintRunbook(def, file);
    if (issues.length > 0) throw toConfigError(issues);
    out[name] = def;
  }
  return out;
}

/** Runs `fn` with a controller of `region`: live (AWS), or in a simulated twin kept moving meanwhile. */
async function withController<T>(config: Config, region: Region, sandbox: boolean, fn: (c: FailoverController) => Promise<T>): Promise<T> {
  if (!sandbox) {
    return fn(new FailoverController({ config, region, instanceId: `cli-${process.pid}`, adapters: createAwsAdapters({}), http: fetchHttp, clock: realClock, runbooks: await loadRunbooks(config) }));
  }
  const session = new SimSession(parseScenario(sandboxScenario(config), "sandbox"), { controller: realController });
  let t = 0;
  for (; t <= 60_000; t += 1_000) await session.stepTo(t);
  const index = [...config.regions, ...(config.witness ? [config.witness] : [])].indexOf(region);
  let done = false;
  const result = fn(session.live[Math.max(0, index)] as FailoverController).finally(() => (done = true));
  // Simulated time only moves when stepped: keep the twin running until fn is done.
  for (; !done && t <= 300_000; t += 1_000) await session.stepTo(t);
  return result;
}

interface Options {
  config: string;
  region?: string;
  to?: string;
  sandbox?: boolean;
}

const regionOption = (config: Config, region: string | undefined): Region => {
  const observers = [...config.regions, ...(config.witness ? [config.witness] : [])];
  if (region && !observers.includes(region)) throw new UsageError(`--region must be one of ${observers.join(", ")}`);
  return region ?? config.witness ?? config.regions[0]!;
};

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
        const { errors, s } = await withController(config, regionOption(config, opts.region), opts.sandbox === true, async (c) => ({ ...(await c.assess()), s: c.status() }));
        if (globals().json) io.stdout(`${JSON.stringify({ ...s, errors })}\n`);
        else {
          io.stdout(`application ${s.application}: active ${s.activeRegion ?? "unknown"}, writer ${s.writerRegion ?? "unknown"}\n`);
          io.stdout(`lease: ${s.lease.holder ?? "free"} (epoch ${s.lease.epoch})${s.incident ? `; incident ${s.incident.id} ${s.incident.state}` : ""}\n\n`);
          const regions = config.regions;
          io.stdout(`${"observer".padEnd(12)}${regions.map((r) => r.padEnd(12)).join("")}\n`);
          for (const v of s.views) io.stdout(`${v.observer.padEnd(12)}${regions.map((r) => (v.regions[r]?.state ?? "-").padEnd(12)).join("")}\n`);
          io.stdout(`\nlag (ms): ${Object.entries(s.lag?.auroraLagMs ?? {}).map(([r, ms]) => `aurora ${r} ${Math.round(ms)}`).join(", ") || "unknown"}\n`);
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
