// Virtual time for the simulator: one event queue (a binary heap ordered by
// time, then insertion order) and one clock. Time only moves when the queue
// is drained, jumping straight to the next event (next-event time advance),
// so a two-hour disaster costs what its events cost, not what its
// milliseconds cost.
//
// Two kinds of events:
//   - world events (health-check rounds, faults, replication, client cache
//     expiry) run synchronously and never await anything;
//   - wake-ups of async code (a sleeping controller, an AWS call answered
//     after its latency) resolve a promise. Their continuations are
//     microtasks that may chain through many awaits (the SDK middleware
//     stack, the runbook engine) before they schedule their next event. The
//     scheduler lets them settle completely with one macrotask turn
//     (setImmediate) before picking the next event, so no continuation is
//     ever overtaken by a later event. setImmediate is not a time source:
//     nothing in the simulation can observe it, and with no real I/O in
//     flight the interleaving it produces is the same on every run.

import type { Clock } from "../core/index.js";

/** 2025-01-01T00:00:00Z: every scenario starts here, so timestamps are reproducible. */
export const SIM_EPOCH_MS = 1_735_689_600_000;

interface Event {
  atMs: number;
  seq: number;
  fn: () => void;
  /** The event resolves a promise: let its continuations settle before the next event. */
  wakesAsync: boolean;
}

class EventHeap {
  private items: Event[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Event | undefined {
    return this.items[0];
  }

  push(e: Event): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): Event | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }
}

const before = (x: Event, y: Event): boolean => x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Scheduler {
  private readonly heap = new EventHeap();
  private nowMs: number;
  private seq = 0;
  private running = false;
  /** Runs after every batch of same-time events (the measurements hook in here). */
  afterBatch: (() => void) | undefined;

  constructor(startMs = SIM_EPOCH_MS) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** Runs `fn` at absolute virtual time `atMs` (never in the past). */
  at(atMs: number, fn: () => void, wakesAsync = false): void {
    const t = Number.isFinite(atMs) ? Math.max(atMs, this.nowMs) : this.nowMs;
    this.heap.push({ atMs: t, seq: this.seq++, fn, wakesAsync });
  }

  after(delayMs: number, fn: () => void, wakesAsync = false): void {
    this.at(this.nowMs + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), fn, wakesAsync);
  }

  /** A promise resolved `delayMs` from now, as an async wake-up. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayMs, resolve, true));
  }

  /** The clock everything in the simulation reads. */
  readonly clock: Clock = {
    now: () => this.nowMs,
    sleep: (ms) => this.sleep(ms),
  };

  get pending(): number {
    return this.heap.size;
  }

  /**
   * Processes every event due up to `untilMs`, then leaves the clock there.
   * Events scheduled by continuations at or before `untilMs` run too.
   */
  async runUntil(untilMs: number): Promise<void> {
    if (this.running) throw new Error("Scheduler.runUntil is not re-entrant");
    this.running = true;
    try {
      await macrotask(); // code started before the run (controller set-up) settles first
      for (;;) {
        const next = this.heap.peek();
        if (next === undefined || next.atMs > untilMs) break;
        this.nowMs = next.atMs;
        let wakes = false;
        // One batch: every event due at this instant that is already queued.
        while (this.heap.peek()?.atMs === this.nowMs) {
          const e = this.heap.pop()!;
          wakes ||= e.wakesAsync;
          e.fn();
        }
        if (wakes) await macrotask();
        this.afterBatch?.();
      }
      this.nowMs = Math.max(this.nowMs, untilMs);
      this.afterBatch?.();
    } finally {
      this.running = false;
    }
  }
}

/**
 * Order-independent noise: a uniform number in [0, 1) from a seed and a few
 * integers (e.g. a region index and a second). Used where asking the
 * sequential PRNG would make a value depend on how often it was queried
 * (replication lag sampled by whoever asks first).
 */
export function hashUnit(seed: number, a: number, b: number, c = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [a, b, c]) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    // high bits of large numbers (seconds since the epoch exceed 2^32 ms, not s)
    h = Math.imul(h ^ Math.floor(v / 4_294_967_296), 0x27d4eb2f) >>> 0;
  }
  return h / 4_294_967_296;
}
