// All waiting and time reading goes through a Clock so the simulator can run
// a two-hour disaster in virtual time and the policy never reads the wall.

export interface Clock {
  /** Milliseconds since the epoch (virtual in the simulator). */
  now(): number;
  /**
   * Resolves after `ms` of this clock's time; never, if `cancel.cancelled`
   * is set by then (a timeout whose race is already decided).
   */
  sleep(ms: number, cancel?: SleepCancel): Promise<void>;
}

/** Set `cancelled` to drop a sleep nobody waits for any more. */
export interface SleepCancel {
  cancelled: boolean;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, cancel) =>
    new Promise((resolve) => {
      setTimeout(() => {
        if (!cancel?.cancelled) resolve();
      }, Math.max(0, ms));
    }),
};

interface Sleeper {
  wakeAtMs: number;
  seq: number;
  resolve: () => void;
  cancel: SleepCancel | undefined;
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
  /**
   * Sleepers as a binary min-heap on (wakeAtMs, seq): the earliest first and,
   * at equal times, the first to sleep. A simulated run registers tens of
   * thousands of sleeps; scanning and splicing a list for each wake-up was a
   * visible share of a sweep.
   */
  private readonly heap: Sleeper[] = [];
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

  sleep(ms: number, cancel?: SleepCancel): Promise<void> {
    return new Promise((resolve) => {
      this.push({ wakeAtMs: this.current + Math.max(0, ms), seq: this.seq++, resolve, cancel });
    });
  }

  /** Number of pending sleepers (a cancelled one counts until its time comes). */
  get pending(): number {
    return this.heap.length;
  }

  /** Earliest wake-up time, if anyone sleeps. */
  nextWakeMs(): number | undefined {
    return this.heap[0]?.wakeAtMs;
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      await this.drain();
      let due = this.heap[0];
      // A cancelled sleeper is dropped without a drain: waking it would run
      // nothing. Probes' timeouts are most of a simulated run's sleeps and
      // almost all of them lose their race.
      while (due?.cancel?.cancelled && due.wakeAtMs <= targetMs) {
        this.pop();
        due = this.heap[0];
      }
      if (!due || due.wakeAtMs > targetMs) break;
      this.pop();
      this.current = Math.max(this.current, due.wakeAtMs);
      due.resolve();
    }
    // The loop ends on a drain after which nothing woke: nothing is left to run.
    this.current = Math.max(this.current, targetMs);
  }

  private push(s: Sleeper): void {
    const h = this.heap;
    let i = h.push(s) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(s, h[up]!)) break;
      h[i] = h[up]!;
      i = up;
    }
    h[i] = s;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

const before = (a: Sleeper, b: Sleeper): boolean => a.wakeAtMs < b.wakeAtMs || (a.wakeAtMs === b.wakeAtMs && a.seq < b.seq);

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
