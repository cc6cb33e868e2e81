// `failover validate --config F`: is the file valid (exit 2 if not), and can
// its detection + execution fit in the RTO (exit 1 if not)? Extra checks
// (runbook linting) plug in through `extraChecks` without touching this file.

import { computeBudget, formatBudgetTable, loadConfig, type Config } from "../../config/index.js";
import { EXIT } from "../exit.js";
import type { Registrar } from "../program.js";

/** Returns problems (exit 1); throws ConfigError for invalid input (exit 2). */
export type ExtraCheck = (config: Config, configFile: string) => Promise<string[]>;

export const validateCommand =
  (extraChecks: readonly ExtraCheck[] = []): Registrar =>
  (program, io, run, globals) => {
    program
      .command("validate")
      .description("check a config: schema, cross-field rules, the RTO budget, and every runbook it names")
      .requiredOption("--config <file>", "config file (YAML)")
      .action((opts: { config: string }) =>
        run(async () => {
          const { config, warnings } = await loadConfig(opts.config);
          const budget = computeBudget(config);
          const problems = [...budget.problems];
          for (const check of extraChecks) problems.push(...(await check(config, opts.config)));
          const ok = problems.length === 0;
          if (globals().json) {
            io.stdout(`${JSON.stringify({ file: opts.config, valid: true, ok, budget, warnings, problems }, null, 2)}\n`);
          } else {
            for (const w of warnings) io.stderr(`warning: ${w}\n`);
            io.stdout(`${opts.config}: valid\n\nRTO budget (worst case, failure to recovery):\n${formatBudgetTable(budget)}\n`);
            io.stdout(ok ? "\nOK: the plan fits the RTO.\n" : `\nPROBLEMS:\n${problems.map((p) => `- ${p}`).join("\n")}\n`);
          }
          return ok ? EXIT.ok : EXIT.problem;
        }),
      );
  };
