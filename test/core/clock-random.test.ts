import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock, SeededRandom, drainMicrotasks, type SleepCancel } from "../../src/core/index.js";
import { TIMED_OUT, withTimeout } from "../../src/probes/index.js";

describe("ManualClock", () => {
  it("wakes sleepers in time order and only when time reaches them", async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(99);
    expect(woke).toEqual([]);
    await clock.advance(1);
    expect(woke).toEqual(["a@1100"]);
    await clock.advance(1_000);
    expect(woke).toEqual(["a@1100", "b@1300"]);
    expect(clock.now()).toBe(2_100);
  });

  it("never wakes a sleeper cancelled before its time, and still wakes the others in order", async () => {
    const clock = new ManualClock(0);
    const woke: string[] = [];
    const cancel = { cancelled: false };
    void clock.sleep(100, cancel).then(() => woke.push("cancelled"));
    void clock.sleep(100).then(() => woke.push("a"));
    void clock.sleep(200).then(() => woke.push("b"));
    cancel.cancelled = true;
    await clock.advance(300);
    expect(woke).toEqual(["a", "b"]);
    expect(clock.pending).toBe(0);
  });

  it("withTimeout drops its timer when the call answers first, and times out a call that does not", async () => {
    const clock = new ManualClock(0);
    const tokens: (SleepCancel | undefined)[] = [];
    const spied = { now: () => clock.now(), sleep: (ms: number, cancel?: SleepCancel) => (tokens.push(cancel), clock.sleep(ms, cancel)) };
    const fast = withTimeout(spied, 2_000, clock.sleep(50).then(() => "answer"));
    await clock.advance(100);
    expect(await fast).toBe("answer");
    expect(tokens[0]?.cancelled).toBe(true); // the timer is dropped, not left to fire at 2 s
    const slow = withTimeout(spied, 2_000, new Promise<string>(() => undefined));
    await clock.advance(2_000);
    expect(await slow).toBe(TIMED_OUT);
    expect(tokens[1]?.cancelled).toBe(false);
  });

  it("wakes any set of sleepers earliest first and, at equal times, in the order they slept", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), async (delays, target) => {
        const clock = new ManualClock(0, drainMicrotasks);
        const woke: number[] = [];
        delays.forEach((ms, i) => void clock.sleep(ms).then(() => woke.push(i)));
        await clock.advanceTo(target);
        // The order a stable sort by wake-up time gives, cut at the target.
        const want = delays.map((ms, i) => ({ ms, i })).filter((s) => s.ms <= target).sort((a, b) => a.ms - b.ms).map((s) => s.i);
        expect(woke).toEqual(want);
        expect(clock.pending).toBe(delays.length - want.length);
        expect(clock.nextWakeMs()).toBe(delays.filter((ms) => ms > target).reduce<number | undefined>((m, ms) => (m === undefined || ms < m ? ms : m), undefined));
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it("runs chained sleeps inside one advance", async () => {
    const clock = new ManualClock(0);
    let done = -1;
    void (async () => {
      await clock.sleep(10);
      await clock.sleep(10);
      done = clock.now();
    })();
    await clock.advance(25);
    expect(done).toBe(20);
  });

  it("interleaves continuations the same way when it drains with nextTick (the simulator's clock)", async () => {
    const trace = async (clock: ManualClock) => {
      const log: string[] = [];
      const worker = async (name: string, waits: number[]) => {
        for (const ms of waits) {
          await clock.sleep(ms);
          // A few awaits between waking and the next sleep, as an SDK call has.
          for (let i = 0; i < 3; i++) await Promise.resolve();
          log.push(`${name}@${clock.now()}`);
        }
      };
      void worker("a", [0, 5, 5, 0, 10]);
      void worker("b", [5, 0, 10, 5]);
      void worker("c", [10, 0, 0, 5]);
      for (let t = 0; t <= 30; t += 10) await clock.advanceTo(t);
      return log;
    };
    const viaImmediate = await trace(new ManualClock(0));
    expect(viaImmediate).toHaveLength(13);
    expect(await trace(new ManualClock(0, drainMicrotasks))).toEqual(viaImmediate);
  });
});

describe("SeededRandom", () => {
  it("replays the same sequence for the same seed and differs for another", () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it("keeps jittered values within mean ± jitter and never negative", () => {
    const r = new SeededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.jittered(300, 200);
      expect(v).toBeGreaterThanOrEqual(100);
      expect(v).toBeLessThanOrEqual(500);
    }
    for (let i = 0; i < 1000; i++) expect(r.jittered(10, 50)).toBeGreaterThanOrEqual(0);
  });
});
