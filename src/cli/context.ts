// What every command receives: where to write, and the global flags.
// Commands write through `io` (never console.*) so tests can capture output
// and `--json` keeps stdout to exactly one JSON document.

import { createInterface } from "node:readline/promises";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (colour allowed). */
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Asks the operator a question on the terminal; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
}

export interface GlobalOptions {
  json: boolean;
  logLevel: string;
}

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  ...(process.stdin.isTTY && {
    ask: async (question: string) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  }),
});
