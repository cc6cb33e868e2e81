// Runs the CLI in-process with captured output (no child process: fast and
// deterministic). Asserting on stderr here is how tests prove "never a stack
// trace for bad input".
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../../src/cli/commands/index.js";
import type { CliIo } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/program.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    env,
    cwd: process.cwd(),
  };
  const code = await runCli(argv, io, commands);
  return { code, stdout, stderr };
}

/** Writes `text` to a fresh temp file and returns its path. */
export function tempFile(text: string, name = "config.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "failover-test-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
