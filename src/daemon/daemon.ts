// The long-running controller: a schedule, the HTTP endpoints, metrics,
// JSON logs, and a clean stop on SIGTERM/SIGINT (finish or journal the step
// in flight, release the lease, exit 0 within 10 s).

import type { Controller } from "../controller/index.js";
import type { Config } from "../config/index.js";
import { startHttpServer } from "./http-server.js";
import { statusContext } from "./status-document.js";
import { StatusHistory } from "./status-history.js";
import type { Logger } from "./logger.js";
import { DaemonMetrics } from "./metrics.js";
import type { ReadinessMonitor } from "./readiness-monitor.js";
import { cronTicker, type Ticker } from "./scheduler.js";

export interface DaemonOptions {
  controllers: Controller[];
  application: string;
  host: string;
  port: number;
  intervalMs: number;
  logger: Logger;
  metrics?: DaemonMetrics;
  apiToken?: string;
  /** Defaults to a node-cron ticker; tests pass their own. */
  ticker?: (tick: () => Promise<void>) => Ticker;
  /** Where signals come from (process by default). */
  signals?: Pick<NodeJS.Process, "once" | "removeListener">;
  /** Called after a signal-driven stop (process.exit by default). */
  exit?: (code: number) => void;
  /** The config: the status page's staleness threshold, RTO budget and history spacing come from it. */
  config?: Config;
  /** Scheduled readiness checks; started with the daemon, shown on /status. */
  readiness?: ReadinessMonitor;
  /** Sends what is still queued (notifications) before exit; given at most FLUSH_MS. */
  flush?: () => Promise<void>;
}

/** A stop waits this long for queued notifications: the lease release and the 10 s exit come first. */
export const FLUSH_MS = 2_000;

export interface RunningDaemon {
  url: string;
  metrics: DaemonMetrics;
  tickNow(): Promise<void>;
  /** Records a history sample if the controllers' clock moved a cycle on (tests driving a simulated world call it). */
  sampleHistory(): void;
  stop(): Promise<void>;
}

/** How often the daemon looks for a new history sample (the sandbox's controllers tick on their own). */
const HISTORY_POLL_MS = 1_000;

export const HARD_STOP_MS = 9_000;

export async function startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const { controllers, logger } = opts;
  const metrics = opts.metrics ?? new DaemonMetrics();
  const context = opts.config && statusContext(opts.config);
  const history = new StatusHistory({ spacingMs: opts.config?.controller.interval ?? opts.intervalMs, maxViewAgeMs: context?.policy.maxViewAgeMs ?? 3 * opts.intervalMs });
  const sampleHistory = () => {
    history.observe(controllers.map((c) => c.status()));
  };
  const tickAll = async () => {
    for (const c of controllers) {
      try {
        const result = await c.tick();
        metrics.observeCycle(result, c.status());
        const level = result.errors.length > 0 ? "warn" : result.decision.action === "none" ? "debug" : "info";
        logger[level]({ controller: c.status().controllerId, decision: result.decision, outcome: result.outcome, errors: result.errors }, "cycle");
      } catch (err) {
        // A cycle must never take the daemon down: log and go on next tick.
        logger.error({ err }, "control cycle failed");
      }
    }
    sampleHistory();
  };
  const http = await startHttpServer({ controllers, application: opts.application, metrics, logger, host: opts.host, port: opts.port, ...(opts.apiToken && { apiToken: opts.apiToken }), ...(context && { context }), history, ...(opts.readiness && { readiness: () => opts.readiness!.results }) });
  const sampler = setInterval(sampleHistory, HISTORY_POLL_MS);
  sampler.unref();
  const ticker = (opts.ticker ?? ((t) => cronTicker(opts.intervalMs, t)))(tickAll);
  ticker.start();
  opts.readiness?.start();
  logger.info({ url: http.url, controllers: controllers.map((c) => c.status().controllerId), approvals: opts.apiToken ? "enabled" : "disabled" }, "daemon started");

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info("stopping: finishing the cycle in flight, releasing the lease");
      clearInterval(sampler);
      await ticker.stop();
      await ticker.idle();
      await opts.readiness?.stop();
      await Promise.allSettled(controllers.map((c) => c.shutdown()));
      if (opts.flush) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([opts.flush().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, FLUSH_MS)))]);
        clearTimeout(timer);
      }
      await http.close();
      logger.info("stopped");
    })());

  const signals = opts.signals ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const onSignal = (signal: string) => {
    logger.info({ signal }, "signal received");
    const hard = setTimeout(() => {
      logger.error("did not stop within 9 s: exiting anyway (the journal holds the step in flight)");
      exit(0);
    }, HARD_STOP_MS);
    hard.unref();
    void stop().then(() => {
      clearTimeout(hard);
      exit(0);
    });
  };
  const onTerm = () => onSignal("SIGTERM");
  const onInt = () => onSignal("SIGINT");
  signals.once("SIGTERM", onTerm);
  signals.once("SIGINT", onInt);

  return {
    url: http.url,
    metrics,
    tickNow: tickAll,
    sampleHistory,
    stop: async () => {
      signals.removeListener("SIGTERM", onTerm);
      signals.removeListener("SIGINT", onInt);
      await stop();
    },
  };
}
