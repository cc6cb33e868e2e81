// The control cycle on a node-cron schedule: no overlapping ticks (a slow
// cycle makes the next one skip, counted), every controller in turn.

import cron, { type ScheduledTask } from "node-cron";

/** A cron expression (with seconds) firing every `intervalMs`. */
export function cronFor(intervalMs: number): string {
  const s = intervalMs / 1000;
  if (Number.isInteger(s) && s >= 1 && s < 60 && 60 % s === 0) return `*/${s} * * * * *`;
  const m = s / 60;
  if (Number.isInteger(m) && m >= 1 && m < 60 && 60 % m === 0) return `0 */${m} * * * *`;
  throw new Error(`controller.interval ${intervalMs}ms cannot be scheduled: use a divisor of a minute (1s..30s) or of an hour (1m..30m)`);
}

export interface Ticker {
  start(): void;
  stop(): Promise<void>;
  /** Resolves when no tick is running. */
  idle(): Promise<void>;
  readonly skipped: number;
}

export function cronTicker(intervalMs: number, tick: () => Promise<void>): Ticker {
  let running: Promise<void> | undefined;
  let skipped = 0;
  const run = () => {
    if (running) {
      skipped++;
      return;
    }
    running = tick().finally(() => (running = undefined));
    return running;
  };
  const task: ScheduledTask = cron.createTask(cronFor(intervalMs), run, { noOverlap: true, name: "failover-cycle" });
  return {
    start: () => void task.start(),
    stop: async () => {
      await task.stop();
      await task.destroy();
    },
    idle: async () => {
      await running;
    },
    get skipped() {
      return skipped;
    },
  };
}
