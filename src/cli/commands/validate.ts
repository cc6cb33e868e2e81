// `failover validate --config F`: is the file valid (exit 2 if not), and can
// its detection + execution fit in the RTO (exit 1 if not)? Extra checks
// (runbook linting) plug in through `extraChecks` without touching this file.

import { computeBudget, formatBudgetTable, loadConfig, resourceNames, type Budget, type BudgetTerm, type Config, type ResourceNames } from "../../config/index.js";
import { ConfigError, type ConfigErrorDetail } from "../../core/index.js";
import { EXIT } from "../exit.js";
import type { Registrar } from "../program.js";

/**
 * A check run after the config is valid. Returns problems (each one makes
 * validate exit 1); throws ConfigError for invalid input it reads (exit 2).
 */
export type ExtraCheck = (config: Config, configFile: string) => Promise<string[]>;

/** The `--json` document. `budget` is null when the file is invalid; Infinity terms are null. */
export interface ValidateReport {
  file: string;
  valid: boolean;
  budget: {
    terms: BudgetTerm[];
    totalMs: number;
    rtoMs: number;
    marginMs: number;
    fits: boolean;
    largestTerm: BudgetTerm["name"];
  } | null;
  warnings: string[];
  /** Why a valid config is still refused (exit 1). */
  problems: string[];
  /** Why the input is invalid (exit 2): file, line, field path, expectation. */
  errors: ConfigErrorDetail[];
  /** The AWS resource names the config implies (what `infra synth` creates); null when invalid. */
  names?: ResourceNames | null;
}

export const validateCommand =
  (extraChecks: readonly ExtraCheck[] = []): Registrar =>
  (program, io, run, globals) => {
    program
      .command("validate")
      .description("check a config: schema, cross-field rules, the RTO budget, and every runbook it names")
      .requiredOption("--config <file>", "config file (YAML)")
      .action((opts: { config: string }) =>
        run(async () => {
          const file = opts.config;
          const report: ValidateReport = { file, valid: false, budget: null, warnings: [], problems: [], errors: [] };
          let budget: Budget;
          try {
            const { config, warnings } = await loadConfig(file);
            report.warnings = warnings;
            report.names = resourceNames(config);
            budget = computeBudget(config);
            report.budget = budgetReport(budget);
            report.problems.push(...budget.problems);
            for (const check of extraChecks) report.problems.push(...(await check(config, file)));
            report.valid = true;
          } catch (err) {
            // Text mode lets the CLI print the ConfigError; --json still owes stdout one document.
            if (!(globals().json && err instanceof ConfigError)) throw err;
            report.errors = [...err.issues];
            io.stdout(`${JSON.stringify(report, null, 2)}\n`);
            io.stderr(`failover: ${err.message}\n`);
            return EXIT.badInput;
          }

          const ok = report.problems.length === 0;
          if (globals().json) {
            io.stdout(`${JSON.stringify(report, null, 2)}\n`);
          } else {
            for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
            io.stdout(`${file}: valid\n\nRTO budget (worst case, failure to recovery):\n${formatBudgetTable(budget)}\n`);
            io.stdout(ok ? "\nOK: the plan fits the RTO.\n" : `\nPROBLEMS:\n${report.problems.map((p) => `- ${p}`).join("\n")}\n`);
          }
          return ok ? EXIT.ok : EXIT.problem;
        }),
      );
  };

function budgetReport(b: Budget): NonNullable<ValidateReport["budget"]> {
  return { terms: b.terms, totalMs: b.totalMs, rtoMs: b.rtoMs, marginMs: b.marginMs, fits: b.fits, largestTerm: b.largestTerm.name };
}
