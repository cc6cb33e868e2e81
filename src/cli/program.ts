// The commander program. Each command lives in commands/<name>.ts and is
// registered here; commands that are not built yet are absent, not stubs.

import { Command, Option } from "commander";
import type { CliIo, GlobalOptions } from "./context.js";
import { EXIT, classifyError, type ExitCode } from "./exit.js";
import { VERSION } from "./version.js";

/** A command's action: returns its exit code (0 or 1); throws for 2 and 3. */
export type Action = () => Promise<ExitCode>;

export interface Registrar {
  (program: Command, io: CliIo, run: (action: Action) => Promise<void>, globals: () => GlobalOptions): void;
}

const registrars: Registrar[] = [];

export function registerCommand(r: Registrar): void {
  registrars.push(r);
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo, extra: readonly Registrar[] = registrars): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = new Command("failover")
    .description("Disaster-recovery controller for active/passive multi-region AWS applications")
    .version(VERSION, "--version")
    .addOption(new Option("--json", "print one JSON document on stdout (logs go to stderr)").default(false))
    .addOption(
      new Option("--log-level <level>", "log level").choices(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(false)
    .allowExcessArguments(false);

  const globals = (): GlobalOptions => {
    const o = program.opts<{ json: boolean; logLevel: string }>();
    return { json: o.json, logLevel: o.logLevel };
  };
  const run = async (action: Action): Promise<void> => {
    try {
      exitCode = await action();
    } catch (err) {
      const { code, message } = classifyError(err);
      io.stderr(`failover: ${message}\n`);
      exitCode = code;
    }
  };
  for (const r of extra) r(program, io, run, globals);

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
    if (typeof e.code === "string" && e.code.startsWith("commander.")) return EXIT.badInput;
    const { code, message } = classifyError(err);
    io.stderr(`failover: ${message}\n`);
    return code;
  }
  return exitCode;
}
