import { describe, expect, it } from "vitest";
import { SIM_EPOCH_MS, Scheduler, hashUnit } from "../../src/sim/scheduler.js";

describe("scheduler (virtual time)", () => {
  it("runs events in time order, then insertion order, and jumps between them", async () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.at(SIM_EPOCH_MS + 3000, () => seen.push("c"));
    s.at(SIM_EPOCH_MS + 1000, () => seen.push("a"));
    s.at(SIM_EPOCH_MS + 1000, () => seen.push("b"));
    await s.runUntil(SIM_EPOCH_MS + 10_000);
    expect(seen).toEqual(["a", "b", "c"]);
    expect(s.now()).toBe(SIM_EPOCH_MS + 10_000);
  });

  it("lets long await chains settle before the next event (no continuation is overtaken)", async () => {
    const s = new Scheduler();
    const order: string[] = [];
    const deep = async (n: number): Promise<void> => {
      if (n > 0) return deep(n - 1);
      await Promise.resolve();
    };
    void (async () => {
      await s.clock.sleep(1000);
      for (let i = 0; i < 200; i++) await deep(5);
      order.push(`worker@${s.now() - SIM_EPOCH_MS}`);
      await s.clock.sleep(1);
      order.push(`worker@${s.now() - SIM_EPOCH_MS}`);
    })();
    s.at(SIM_EPOCH_MS + 1000, () => order.push("event@1000"));
    s.at(SIM_EPOCH_MS + 1001, () => order.push("event@1001"));
    await s.runUntil(SIM_EPOCH_MS + 5000);
    // The worker finishes its 1000 work at 1000 (not later); at 1001 the older event goes first.
    expect(order).toEqual(["event@1000", "worker@1000", "event@1001", "worker@1001"]);
  });

  it("never runs an event in the past and does not advance past the horizon", async () => {
    const s = new Scheduler();
    await s.runUntil(SIM_EPOCH_MS + 5000);
    let at = 0;
    s.at(SIM_EPOCH_MS + 1000, () => (at = s.now()));
    s.at(SIM_EPOCH_MS + 99_000, () => undefined);
    await s.runUntil(SIM_EPOCH_MS + 6000);
    expect(at).toBe(SIM_EPOCH_MS + 5000);
    expect(s.pending).toBe(1);
  });

  it("hashUnit is a pure function of its inputs, spread over [0, 1)", () => {
    expect(hashUnit(7, 1, 2)).toBe(hashUnit(7, 1, 2));
    expect(hashUnit(7, 1, 2)).not.toBe(hashUnit(8, 1, 2));
    const xs = Array.from({ length: 2000 }, (_, i) => hashUnit(1, 3, i));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
