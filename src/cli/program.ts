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

/**
 * specs/cli.md spells two commands as flags: `failover --drill ...` and
 * `failover --to R ...`. They are the `drill` and `move` commands; this
 * routes the flag forms there when no other command is named.
 */
export function routeFlagCommands(argv: readonly string[], commandNames: readonly string[]): string[] {
  const globals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json" || a.startsWith("--log-level=")) globals.push(a);
    else if (a === "--log-level") {
      globals.push(a, ...argv.slice(i + 1, i + 2));
      i++;
    }
    else rest.push(a);
  }
  // A named command comes first; a later word that happens to be a command name is an option's value (`--reason drill`).
  if (rest[0] !== undefined && commandNames.includes(rest[0])) return [...argv];
  if (rest.includes("--drill")) return [...globals, "drill", ...rest.filter((a) => a !== "--drill")];
  if (rest.some((a) => a === "--to" || a.startsWith("--to="))) return [...globals, "move", ...rest];
  return [...argv];
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
    await program.parseAsync(routeFlagCommands(argv, program.commands.map((c) => c.name())), { from: "user" });
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
