// `failover --to R --url http://127.0.0.1:8080`: the move runs in the daemon
// that holds the lease, through its token-gated POST /failover. The
// data-loss estimate is read from the daemon's /status and shown before the
// confirmation; a refusal (409) prints why and, when the store does not
// answer, the manual steps.

import type { Config } from "../../config/index.js";
import { dataLossEstimateMs, ManualRefused } from "../../controller/index.js";
import type { LagReading } from "../../core/index.js";
import type { CliIo } from "../context.js";
import { EXIT, UsageError, type ExitCode } from "../exit.js";
import { confirm, estimateLine, printRefusal, type MoveOptions } from "./move-common.js";

const TIMEOUT_MS = 30_000;

export async function forceThroughDaemon(io: CliIo, json: boolean, config: Config, opts: MoveOptions & { mode: "planned" | "unplanned"; by: string }): Promise<ExitCode> {
  const token = io.env.FAILOVER_API_TOKEN;
  if (!token) throw new UsageError("failover --to --url needs the daemon's token in FAILOVER_API_TOKEN (nothing was sent)");
  let base: URL;
  try {
    base = new URL(opts.url ?? "");
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(opts.url)}`);
  }
  const call = async (path: string, init?: RequestInit) => {
    try {
      return await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new Error(`the daemon at ${base.origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };
  const status = (await (await call("/status")).json().catch(() => ({}))) as { controllers?: { lag?: LagReading }[] };
  const lag = status.controllers?.[0]?.lag ?? { auroraLagMs: {}, dynamodbLagMs: {}, atMs: 0 };
  if (opts.force) io.stderr(`${estimateLine(config, dataLossEstimateMs(lag, opts.to), opts.to)}\n`);
  if (!opts.yes && !(await confirm(io, `${opts.force ? "FORCED " : ""}${opts.mode} failover of ${config.application} to ${opts.to} through ${base.origin}. Type the region to confirm: `, opts.to))) return EXIT.problem;
  const res = await call("/failover", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ to: opts.to, mode: opts.mode, force: opts.force === true, acceptDataLoss: opts.acceptDataLoss === true, reason: opts.reason ?? "", by: opts.by }),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: string; incident?: string; manualSteps?: string[] };
  if (res.status === 202 || res.status === 200) {
    if (json) io.stdout(`${JSON.stringify({ refused: false, ...body })}\n`);
    else io.stdout(`failover to ${opts.to} started by the daemon (incident ${body.incident ?? "?"}); follow it with failover status or ${base.origin}/status\n`);
    return EXIT.ok;
  }
  if (res.status === 409) return printRefusal(io, json, new ManualRefused(body.error ?? "refused", body.manualSteps));
  io.stderr(`failover: ${res.status} ${body.error ?? res.statusText}\n`);
  // A wrong token or a disabled endpoint is the caller's setup (2); anything else a runtime failure (3).
  return res.status === 401 || res.status === 403 || res.status === 400 ? EXIT.badInput : EXIT.runtime;
}
