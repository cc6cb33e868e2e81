// Readiness every 30 minutes (AWS ARC Region switch evaluates its plans on
// the same rhythm): the drill's checks, run by the daemon on the config's
// `readiness.schedule` (node-cron) and once at start, after the first
// control cycle (so the first run judges a controller that has seen the
// world, not one that has not started). Results go to /status, to
// /metrics as failover_readiness{check} 0/1, and a check turning red (or
// green again) becomes a notification.

import cron, { type ScheduledTask } from "node-cron";
import type { AwsAdapters } from "../aws/index.js";
import type { Config } from "../config/index.js";
import { readinessChecks, type FailoverController } from "../controller/index.js";
import type { Clock } from "../core/index.js";
import type { Logger } from "./logger.js";
import type { DaemonMetrics } from "./metrics.js";

/** One check's last result, as /status shows it. */
export interface ReadinessResult {
  check: string;
  ok: boolean;
  detail: string;
  atMs: number;
}

export interface ReadinessMonitorOptions {
  config: Config;
  controller: FailoverController;
  adapters: AwsAdapters;
  clock: Clock;
  metrics?: DaemonMetrics;
  logger: Logger;
  /** readiness.red / readiness.green events (the daemon feeds them to the notifier). */
  emit: (event: string, detail: Record<string, unknown>) => void;
}

export class ReadinessMonitor {
  private last: ReadinessResult[] = [];
  private running?: Promise<ReadinessResult[]>;
  private task?: ScheduledTask;
  private stopped = false;

  constructor(private readonly o: ReadinessMonitorOptions) {}

  /** The last result of every check (empty before the first run). */
  get results(): ReadinessResult[] {
    return this.last;
  }

  /** Runs every check now; a run already in flight is joined, not doubled. */
  runOnce(): Promise<ReadinessResult[]> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<ReadinessResult[]> {
    const { config, controller, adapters, clock, metrics, emit } = this.o;
    const checks = await readinessChecks(config, controller, adapters, { assess: false });
    const atMs = clock.now();
    const before = new Map(this.last.map((r) => [r.check, r.ok]));
    this.last = checks.map((c) => ({ check: c.name, ok: c.ok, detail: c.detail, atMs }));
    for (const r of this.last) {
      metrics?.readiness.set({ check: r.check }, r.ok ? 1 : 0);
      const was = before.get(r.check);
      if (!r.ok && was !== false) emit("readiness.red", { check: r.check, detail: r.detail });
      if (r.ok && was === false) emit("readiness.green", { check: r.check, detail: r.detail });
    }
    const red = this.last.filter((r) => !r.ok);
    if (red.length > 0) this.o.logger.warn({ red: red.map((r) => `${r.check}: ${r.detail}`) }, "readiness: some checks fail");
    else this.o.logger.info({ checks: this.last.length }, "readiness: every check passes");
    return this.last;
  }

  /** Once after the first control cycle, then on the schedule. */
  start(): void {
    const { config, controller, clock, logger } = this.o;
    const safe = () => this.runOnce().catch((err: unknown) => logger.error({ err }, "readiness checks failed to run"));
    void (async () => {
      while (!this.stopped && !controller.status().lastCycle) await clock.sleep(1_000);
      if (!this.stopped) await safe();
    })();
    this.task = cron.createTask(config.readiness.schedule, () => void safe(), { noOverlap: true, name: "failover-readiness" });
    void this.task.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.task) {
      await this.task.stop();
      await this.task.destroy();
    }
    await this.running?.catch(() => undefined);
  }
}
