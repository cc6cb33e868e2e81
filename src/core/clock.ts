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
 * observes the same interleaving on every run.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(startMs = 0) {
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
      await flushMicrotasks();
      const due = this.sleepers
        .filter((s) => s.wakeAtMs <= targetMs)
        .sort((a, b) => a.wakeAtMs - b.wakeAtMs || a.seq - b.seq)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.current = Math.max(this.current, due.wakeAtMs);
      due.resolve();
    }
    this.current = Math.max(this.current, targetMs);
    await flushMicrotasks();
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
