// `failover --to R`: the operator's manual failover. Planned by default (a
// switchover: no data loss, needs the active writer to answer); --unplanned
// promotes R even if the old writer is gone, accepting the replication lag
// as data loss. Asks for confirmation unless --yes. Refused, with why, when
// R is unknown (exit 2), already active, not UP for a quorum, or an incident
// or another controller's lease is in the way (exit 1, nothing changed).
//
// --force overrides the quorum rule and nothing else (see
// controller/override.ts): the data-loss estimate is shown before the
// confirmation, --accept-data-loss is needed when it is unknown or over the
// RPO, and who/why go into the incident. Without the coordination store it
// refuses and prints the manual steps. --url sends the request to the
// daemon's token-gated POST /failover instead of running it in this process.

import { loadConfig } from "../../config/index.js";
import { formatDurationMs } from "../../core/index.js";
import { ManualRefused, dataLossEstimateMs, type FailoverController, type ManualResult } from "../../controller/index.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { regionOption, withController } from "./controller-session.js";
import { forceThroughDaemon } from "./move-daemon.js";
import { confirm, defaultOperator, estimateLine, printRefusal, type MoveOptions } from "./move-common.js";

export const moveCommand: Registrar = (program, io, run, globals) => {
  program
    .command("move")
    .description("manual failover to a region (also: failover --to R); asks for confirmation unless --yes")
    .requiredOption("--to <region>", "the region to move writes and traffic to")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--planned", "switchover with no data loss (the default without --force; the active writer must answer)")
    .option("--unplanned", "failover that accepts losing the unreplicated writes (the active writer is gone; the default with --force)")
    .option("--force", "override the quorum rule only: the target must be UP for every observer that reports; lease and fencing still apply")
    .option("--accept-data-loss", "with --force: go on when the data-loss estimate is unknown or over the RPO")
    .option("--reason <text>", "why (kept in the incident)")
    .option("--by <name>", "who (kept in the incident; default user@host)")
    .option("--url <url>", "send the request to this daemon's POST /failover (token from FAILOVER_API_TOKEN) instead of acting from this process")
    .option("--yes", "do not ask for confirmation")
    .option("--sandbox", "in a simulated twin of the config's world instead of AWS")
    .option("--region <region>", "act as the controller of this region (default: the witness)")
    .option(
      "--override-safety-rules <arns>",
      "routing-control only: comma-separated ARC safety rule ARNs the flip may override (never done without this flag)",
    )
    .action((opts: MoveOptions) =>
      run(async () => {
        if (opts.planned && opts.unplanned) throw new UsageError("--planned and --unplanned exclude each other");
        if (opts.acceptDataLoss && !opts.force) throw new UsageError("--accept-data-loss goes with --force (a normal failover never exceeds the RPO on its own)");
        const { config } = await loadConfig(opts.config);
        if (!config.regions.includes(opts.to)) throw new UsageError(`--to must be an app region of the config (${config.regions.join(", ")}), got ${opts.to}`);
        const mode = opts.unplanned || (opts.force && !opts.planned) ? "unplanned" : "planned";
        const json = globals().json;
        const overrides = (opts.overrideSafetyRules ?? "").split(",").map((a) => a.trim()).filter(Boolean);
        if (opts.overrideSafetyRules !== undefined) {
          if (config.traffic.strategy !== "routing-control") throw new UsageError(`--override-safety-rules needs traffic.strategy routing-control in ${opts.config} (it is ${config.traffic.strategy})`);
          const bad = overrides.find((a) => !/^arn:aws[a-z-]*:route53-recovery-control::\d{12}:controlpanel\/[^/]+\/safetyrule\/\S+$/.test(a));
          if (overrides.length === 0 || bad !== undefined) throw new UsageError(`--override-safety-rules expects ARC safety rule ARNs (arn:aws:route53-recovery-control::ACCOUNT:controlpanel/ID/safetyrule/ID), got ${JSON.stringify(bad ?? opts.overrideSafetyRules)}`);
        }
        if (opts.url) return forceThroughDaemon(io, json, config, { ...opts, mode, by: opts.by ?? defaultOperator(io.env) });
        if (!opts.force && !opts.yes) {
          const overriding = overrides.length > 0 ? `, OVERRIDING safety rules ${overrides.join(", ")}` : "";
          const ok = await confirm(io, `${mode} failover of ${config.application} to ${opts.to}${opts.sandbox ? " (simulated twin)" : ""}${overriding}. Type the region to confirm: `, opts.to);
          if (!ok) return EXIT.problem;
        }
        let result: ManualResult | "not confirmed";
        try {
          result = await withController(config, regionOption(config, opts.region), opts.sandbox === true, async (c: FailoverController) => {
            if (!opts.force) return c.failoverTo(opts.to, mode, { safetyRulesToOverride: overrides });
            // The estimate first, from a fresh look at the lag, then the question.
            await c.assess();
            io.stderr(`${estimateLine(config, dataLossEstimateMs(c.status().lag ?? { auroraLagMs: {}, dynamodbLagMs: {}, atMs: 0 }, opts.to), opts.to)}\n`);
            if (!opts.yes && !(await confirm(io, `FORCED ${mode} failover of ${config.application} to ${opts.to}, overriding the quorum. Type the region to confirm: `, opts.to))) return "not confirmed" as const;
            return c.failoverTo(opts.to, mode, { force: true, acceptDataLoss: opts.acceptDataLoss === true, by: opts.by ?? defaultOperator(io.env), reason: opts.reason ?? "", safetyRulesToOverride: overrides });
          });
        } catch (err) {
          if (!(err instanceof ManualRefused)) throw err;
          return printRefusal(io, json, err);
        }
        if (result === "not confirmed") return EXIT.problem;
        const ok = result.status === "succeeded";
        if (json) io.stdout(`${JSON.stringify({ refused: false, ...result, durationMs: result.endedAtMs - result.startedAtMs })}\n`);
        else {
          io.stdout(`${result.runbook} ${result.from} -> ${result.to} (incident ${result.incidentId}, lease epoch ${result.epoch}): ${result.status} in ${formatDurationMs(result.endedAtMs - result.startedAtMs)}\n`);
          if (!ok) io.stdout("the journal holds every step taken; see failover status, and docs/failure-modes.md\n");
        }
        return ok ? EXIT.ok : EXIT.problem;
      }),
    );
};
