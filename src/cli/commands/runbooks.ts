// `failover runbooks validate [DIR]` and `failover runbooks deploy --config F`.

import { readFile } from "node:fs/promises";
import { loadConfig, type Config } from "../../config/index.js";
import { createAwsAdapters } from "../../aws/index.js";
import { deployRunbooks, lintDirectory, lintRunbook, loadRunbook, toConfigError, type Definition, type LintIssue, type RunbookName } from "../../runbooks/index.js";
import { EXIT } from "../exit.js";
import type { Registrar } from "../program.js";

export const runbooksCommand: Registrar = (program, io, run, globals) => {
  const cmd = program.command("runbooks").description("check and deploy the runbooks (Amazon States Language)");
  cmd
    .command("validate")
    .description("asl-validator plus failover's rules (timeouts, retries, catches, allowed resources, bounded loops, input paths)")
    .argument("[dir]", "folder of *.asl.json runbooks", "runbooks")
    .action((dir: string) =>
      run(async () => {
        const { files, issues } = await lintDirectory(dir);
        if (issues.length > 0) throw toConfigError(issues);
        io.stdout(globals().json ? `${JSON.stringify({ files, valid: true })}\n` : files.map((f) => `${f}: valid\n`).join(""));
        return EXIT.ok;
      }),
    );
  cmd
    .command("deploy")
    .description("create or update the runbooks as Step Functions state machines in every app region (idempotent)")
    .requiredOption("--config <file>", "config file (YAML)")
    .action((opts: { config: string }) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        const { prefix, roleArn } = deployNames(config, opts.config);
        const definitions: Record<string, string> = {};
        for (const [name, file] of Object.entries(runbookFiles(config))) {
          const issues = lintRunbook(await loadRunbook(file), file);
          if (issues.length > 0) throw toConfigError(issues);
          definitions[name] = await readFile(file, "utf8");
        }
        const adapters = createAwsAdapters({});
        try {
          const changes = await deployRunbooks(adapters, { regions: config.regions, accountId: config.accountId, prefix, roleArn, definitions });
          if (globals().json) io.stdout(`${JSON.stringify({ changes })}\n`);
          else for (const c of changes) io.stdout(`${c.action.padEnd(9)} ${c.region}  ${c.name}\n`);
        } finally {
          adapters.destroy();
        }
        return EXIT.ok;
      }),
    );
};

export function runbookFiles(config: Config): Record<"failover" | "switchover" | "failback", string> {
  return { failover: config.runbooks.failover, switchover: config.runbooks.switchover, failback: config.runbooks.failback };
}

function deployNames(config: Config, file: string): { prefix: string; roleArn: string } {
  const { stateMachinePrefix, roleArn } = config.runbooks;
  if (!stateMachinePrefix || !roleArn) {
    throw toConfigError([{ file, state: "", rule: "deploy", message: "runbooks.stateMachinePrefix and runbooks.roleArn are needed to deploy" }]);
  }
  return { prefix: stateMachinePrefix, roleArn };
}

/** `validate`'s runbook check: every runbook the config names must lint clean (invalid = exit 2). */
export async function checkConfiguredRunbooks(config: Config): Promise<string[]> {
  await loadRunbooks(config);
  return [];
}

/** The config's runbooks, linted: every file's issues are reported at once (ConfigError, exit 2). */
export async function loadRunbooks(config: Config): Promise<Record<RunbookName, Definition>> {
  const issues: LintIssue[] = [];
  const out = {} as Record<RunbookName, Definition>;
  for (const [name, file] of Object.entries(runbookFiles(config)) as [RunbookName, string][]) {
    out[name] = await loadRunbook(file);
    issues.push(...lintRunbook(out[name], file));
  }
  if (issues.length > 0) throw toConfigError(issues);
  return out;
}
