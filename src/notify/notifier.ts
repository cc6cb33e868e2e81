// The notifier: controller events in, messages out, without ever making the
// control cycle wait. `onEvent` only queues; a single pump drains the queue
// in order, sending each message to every destination with bounded retries
// and exponential backoff on the injected Clock (virtual in game days).
//
// De-duplication: one escalation per incident and reason (a controller that
// sees the same problem every cycle pages once); a "resolved" only for an
// escalation that was announced; readiness only on a change of colour.
// Every outcome is reported through `onOutcome` (the daemon turns it into
// failover_notifications_total{destination,outcome}).

import type { Clock, Region } from "../core/index.js";
import type { Destination } from "./destinations.js";
import { dedupKey, fromEvent, type Notification } from "./message.js";

/** sent; retried (an attempt failed, another follows); failed (gave up); dropped (queue full); suppressed (duplicate). */
export type NotifyOutcome = "sent" | "retried" | "failed" | "dropped" | "suppressed";

export interface NotifierOptions {
  application: string;
  observer: Region;
  destinations: Destination[];
  clock: Clock;
  /** Attempts after the first, per destination. */
  retries: number;
  /** First backoff; doubled per attempt. */
  backoffMs: number;
  /** Pending messages kept at most; the oldest are dropped beyond (counted). */
  maxQueue?: number;
  onOutcome?: (destination: string, outcome: NotifyOutcome, n: Notification, error?: string) => void;
}

const DEFAULT_MAX_QUEUE = 200;
const HISTORY_KEPT = 100;

export class Notifier {
  private readonly queue: Notification[] = [];
  /** Escalations announced and not yet resolved, by dedup key. */
  private readonly open = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly readiness = new Map<string, boolean>();
  private pumping?: Promise<void>;
  /** The last notifications accepted for sending, in order (for status and tests). */
  readonly history: Notification[] = [];

  constructor(private readonly opts: NotifierOptions) {}

  /** A controller event; returns at once. */
  readonly onEvent = (event: string, detail: Record<string, unknown>): void => {
    const ctx = { application: this.opts.application, observer: this.opts.observer, atMs: this.opts.clock.now() };
    if (event === "escalation.adopted") {
      // Paged by another controller for the incident this one continues: not sent again, but
      // open here, so this process sends the "resolved" when it clears (same dedup key).
      const paged = fromEvent(ctx, "escalation", detail);
      if (paged) this.open.add(dedupKey(paged));
      return;
    }
    const n = fromEvent(ctx, event, detail);
    if (!n) return;
    if (!this.accept(n)) {
      for (const d of this.opts.destinations) this.opts.onOutcome?.(d.name, "suppressed", n);
      return;
    }
    this.history.push(n);
    // Kept for status and tests; bounded, a daemon runs for months.
    if (this.history.length > HISTORY_KEPT) this.history.splice(0, this.history.length - HISTORY_KEPT);
    this.queue.push(n);
    const max = this.opts.maxQueue ?? DEFAULT_MAX_QUEUE;
    while (this.queue.length > max) {
      const dropped = this.queue.shift()!;
      for (const d of this.opts.destinations) this.opts.onOutcome?.(d.name, "dropped", dropped);
    }
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  };

  /** Resolves once the queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  get pending(): number {
    return this.queue.length;
  }

  private accept(n: Notification): boolean {
    const key = dedupKey(n);
    switch (n.kind) {
      case "escalation":
        if (this.open.has(key)) return false;
        this.open.add(key);
        return true;
      case "resolved":
        return this.open.delete(key);
      case "readiness-red":
      case "readiness-green": {
        const ok = n.kind === "readiness-green";
        const before = this.readiness.get(n.reason);
        this.readiness.set(n.reason, ok);
        // The first result of a check is news only when it is red.
        return before === undefined ? !ok : before !== ok;
      }
      case "failover-started":
      case "failover-completed":
        if (this.seen.has(key)) return false;
        this.seen.add(key);
        return true;
    }
  }

  private async pump(): Promise<void> {
    for (let n = this.queue.shift(); n; n = this.queue.shift()) {
      for (const d of this.opts.destinations) await this.deliver(d, n);
    }
  }

  private async deliver(d: Destination, n: Notification): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await d.send(n);
        this.opts.onOutcome?.(d.name, "sent", n);
        return;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (attempt >= this.opts.retries) {
          this.opts.onOutcome?.(d.name, "failed", n, error);
          return;
        }
        this.opts.onOutcome?.(d.name, "retried", n, error);
        await this.opts.clock.sleep(this.opts.backoffMs * 2 ** attempt);
      }
    }
  }
}
