// What `failover --to` shares between its two paths (in this process, or
// through a daemon): the options, the data-loss line shown before a forced
// move, the confirmation, and how a refusal is printed.

import { hostname, userInfo } from "node:os";
import type { Config } from "../../config/index.js";
import { formatDurationMs } from "../../core/index.js";
import type { ManualRefused } from "../../controller/index.js";
import type { CliIo } from "../context.js";
import { EXIT, UsageError, type ExitCode } from "../exit.js";

export interface MoveOptions {
  config: string;
  to: string;
  planned?: boolean;
  unplanned?: boolean;
  yes?: boolean;
  sandbox?: boolean;
  region?: string;
  force?: boolean;
  acceptDataLoss?: boolean;
  reason?: string;
  by?: string;
  url?: string;
  /** routing-control only: comma-separated ARC safety rule ARNs the flip may override. */
  overrideSafetyRules?: string;
}

/** What an operator is told before a forced move: the data-loss estimate against the RPO. */
export function estimateLine(config: Config, estimateMs: number | undefined, to: string): string {
  if (estimateMs === undefined) return `data-loss estimate for ${to}: unknown (no replication lag reading); --accept-data-loss is required`;
  const over = estimateMs > config.policy.rpo;
  return `data-loss estimate for ${to}: ${formatDurationMs(Math.round(estimateMs))} of writes (${Math.round(estimateMs)}ms; RPO ${formatDurationMs(config.policy.rpo)})${over ? "; over the RPO: --accept-data-loss is required" : ""}`;
}

export const defaultOperator = (env: NodeJS.ProcessEnv): string => {
  let user = env.USER ?? env.LOGNAME ?? "";
  try {
    user ||= userInfo().username;
  } catch {
    user ||= "unknown";
  }
  return `${user}@${hostname()}`;
};

/** Asks the operator to type the region; false when not confirmed. */
export async function confirm(io: CliIo, question: string, to: string): Promise<boolean> {
  if (!io.ask) throw new UsageError("refusing to fail over without confirmation: run it on a terminal, or pass --yes");
  const answer = await io.ask(question);
  if (answer.trim() === to) return true;
  io.stderr("not confirmed: nothing changed\n");
  return false;
}

export function printRefusal(io: CliIo, json: boolean, err: ManualRefused): ExitCode {
  if (json) io.stdout(`${JSON.stringify({ refused: true, reason: err.message, ...(err.manualSteps && { manualSteps: err.manualSteps }) })}\n`);
  io.stderr(`failover: refused, nothing changed: ${err.message}\n`);
  if (err.manualSteps && !json) io.stdout(`manual steps (the calls the failover runbook would make, region by region):\n${err.manualSteps.map((s) => `  ${s}`).join("\n")}\n`);
  return EXIT.problem;
}
