// Exit codes are a contract (specs/cli.md): 0 ok, 1 a check/drill/game day
// found a problem, 2 bad usage or invalid input, 3 an AWS or runtime error.
// Bad input never prints a stack trace.

import { AwsCallError, ConfigError } from "../core/index.js";

export const EXIT = { ok: 0, problem: 1, badInput: 2, runtime: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by a command for bad usage that is not a file's fault (e.g. an unknown region in --to). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Maps an error to its exit code and the one message an operator should see. */
export function classifyError(err: unknown): { code: ExitCode; message: string } {
  if (err instanceof ConfigError) return { code: EXIT.badInput, message: err.message };
  if (err instanceof UsageError) return { code: EXIT.badInput, message: err.message };
  if (err instanceof AwsCallError) return { code: EXIT.runtime, message: err.message };
  if (isCommanderError(err)) return { code: EXIT.badInput, message: err.message };
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: EXIT.runtime, message };
}

function isCommanderError(err: unknown): err is Error & { code: string } {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("commander.");
}
