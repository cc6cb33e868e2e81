// `failover --to R`: the operator's manual failover. Planned by default (a
// switchover: no data loss, needs the active writer to answer); --unplanned
// promotes R even if the old writer is gone, accepting the replication lag
// as data loss. Asks for confirmation unless --yes. Refused, with why, when
// R is unknown (exit 2), already active, not UP for a quorum, or an incident
// or another controller's lease is in the way (exit 1, nothing changed).

import { loadConfig } from "../../config/index.js";
import { formatDurationMs } from "../../core/index.js";
import { ManualRefused, type ManualResult } from "../../controller/index.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { regionOption, withController } from "./controller-session.js";

interface Options {
  config: string;
  to: string;
  planned?: boolean;
  unplanned?: boolean;
  yes?: boolean;
  sandbox?: boolean;
  region?: string;
  overrideSafetyRules?: string;
}

export const moveCommand: Registrar = (program, io, run, globals) => {
  program
    .command("move")
    .description("manual failover to a region (also: failover --to R); asks for confirmation unless --yes")
    .requiredOption("--to <region>", "the region to move writes and traffic to")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--planned", "switchover with no data loss (the default; the active writer must answer)")
    .option("--unplanned", "failover that accepts losing the unreplicated writes (the active writer is gone)")
    .option("--yes", "do not ask for confirmation")
    .option("--sandbox", "in a simulated twin of the config's world instead of AWS")
    .option("--region <region>", "act as the controller of this region (default: the witness)")
    .option(
      "--override-safety-rules <arns>",
      "routing-control only: comma-separated ARC safety rule ARNs the flip may override (never done without this flag)",
    )
    .action((opts: Options) =>
      run(async () => {
        if (opts.planned && opts.unplanned) throw new UsageError("--planned and --unplanned exclude each other");
        const { config } = await loadConfig(opts.config);
        if (!config.regions.includes(opts.to)) throw new UsageError(`--to must be an app region of the config (${config.regions.join(", ")}), got ${opts.to}`);
        const mode = opts.unplanned ? "unplanned" : "planned";
        const overrides = (opts.overrideSafetyRules ?? "").split(",").map((a) => a.trim()).filter(Boolean);
        if (opts.overrideSafetyRules !== undefined) {
          if (config.traffic.strategy !== "routing-control") throw new UsageError(`--override-safety-rules needs traffic.strategy routing-control in ${opts.config} (it is ${config.traffic.strategy})`);
          const bad = overrides.find((a) => !/^arn:aws[a-z-]*:route53-recovery-control::\d{12}:controlpanel\/[^/]+\/safetyrule\/\S+$/.test(a));
          if (overrides.length === 0 || bad !== undefined) throw new UsageError(`--override-safety-rules expects ARC safety rule ARNs (arn:aws:route53-recovery-control::ACCOUNT:controlpanel/ID/safetyrule/ID), got ${JSON.stringify(bad ?? opts.overrideSafetyRules)}`);
        }
        if (!opts.yes) {
          if (!io.ask) throw new UsageError("refusing to fail over without confirmation: run it on a terminal, or pass --yes");
          const overriding = overrides.length > 0 ? `, OVERRIDING safety rules ${overrides.join(", ")}` : "";
          const answer = await io.ask(`${mode} failover of ${config.application} to ${opts.to}${opts.sandbox ? " (simulated twin)" : ""}${overriding}. Type the region to confirm: `);
          if (answer.trim() !== opts.to) {
            io.stderr("not confirmed: nothing changed\n");
            return EXIT.problem;
          }
        }
        let result: ManualResult;
        try {
          result = await withController(config, regionOption(config, opts.region), opts.sandbox === true, (c) => c.failoverTo(opts.to, mode, { safetyRulesToOverride: overrides }));
        } catch (err) {
          if (!(err instanceof ManualRefused)) throw err;
          if (globals().json) io.stdout(`${JSON.stringify({ refused: true, reason: err.message })}\n`);
          io.stderr(`failover: refused, nothing changed: ${err.message}\n`);
          return EXIT.problem;
        }
        const ok = result.status === "succeeded";
        if (globals().json) io.stdout(`${JSON.stringify({ refused: false, ...result, durationMs: result.endedAtMs - result.startedAtMs })}\n`);
        else {
          io.stdout(`${result.runbook} ${result.from} -> ${result.to} (incident ${result.incidentId}, lease epoch ${result.epoch}): ${result.status} in ${formatDurationMs(result.endedAtMs - result.startedAtMs)}\n`);
          if (!ok) io.stdout("the journal holds every step taken; see failover status, and docs/failure-modes.md\n");
        }
        return ok ? EXIT.ok : EXIT.problem;
      }),
    );
};
