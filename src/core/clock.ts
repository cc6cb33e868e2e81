// All waiting and time reading goes through a Clock so the simulator can run
// a two-hour disaster in virtual time and the policy never reads the wall.

export interface Clock {
  /** Milliseconds since the epoch (virtual in the simulator). */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

interface Sleeper {
  wakeAtMs: number;
  seq: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to. `advance` wakes sleepers in time
 * order and lets their continuations run before moving on, so code under test
 * observes the same interleaving on every run. `drain` is how it waits for
 * those continuations: flushMicrotasks (the default) also lets timers and
 * I/O run; the simulator passes drainMicrotasks, which is an order of
 * magnitude cheaper and all a closed virtual world needs.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(
    startMs = 0,
    private readonly drain: () => Promise<void> = flushMicrotasks,
  ) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ wakeAtMs: this.current + Math.max(0, ms), seq: this.seq++, resolve });
    });
  }

  /** Number of pending sleepers (for tests and for the simulator's idle check). */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Earliest wake-up time, if anyone sleeps. */
  nextWakeMs(): number | undefined {
    let next: number | undefined;
    for (const s of this.sleepers) if (next === undefined || s.wakeAtMs < next) next = s.wakeAtMs;
    return next;
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      await this.drain();
      const i = this.firstDue(targetMs);
      if (i < 0) break;
      const due = this.sleepers[i]!;
      this.sleepers.splice(i, 1);
      this.current = Math.max(this.current, due.wakeAtMs);
      due.resolve();
    }
    this.current = Math.max(this.current, targetMs);
    await this.drain();
  }

  /** Index of the sleeper to wake first (earliest, then first to sleep) among those due by `targetMs`, or -1. */
  private firstDue(targetMs: number): number {
    let best = -1;
    for (let i = 0; i < this.sleepers.length; i++) {
      const s = this.sleepers[i]!;
      if (s.wakeAtMs > targetMs) continue;
      const b = this.sleepers[best];
      if (!b || s.wakeAtMs < b.wakeAtMs || (s.wakeAtMs === b.wakeAtMs && s.seq < b.seq)) best = i;
    }
    return best;
  }
}

/**
 * Lets every pending promise continuation run before time moves on.
 * setImmediate runs after the whole microtask queue has drained, however
 * long the await chains are (an SDK call through its middleware stack is
 * dozens of them), so a sleep is always registered against the right time.
 */
export async function flushMicrotasks(rounds = 1): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The same guarantee for promise continuations without a turn of the event
 * loop: Node runs a nextTick queued from a microtask only once the microtask
 * queue is empty, newly queued microtasks included. It does not wait for
 * timers, I/O or other nextTick chains, which nothing in the simulated world
 * uses; each setImmediate turn cost ~7 us, ~37,000 of them per simulated
 * two hours, half a sweep's wall time.
 */
export async function drainMicrotasks(): Promise<void> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
}
