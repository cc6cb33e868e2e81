// The daemon's last hour of health and lag: one sample per control cycle on
// the controllers' clock, bounded, and a region's state as most fresh
// observers see it (a stale view does not vote; a tie shows the worse state).
import { describe, expect, it } from "vitest";
import type { ControllerStatus } from "../../src/controller/index.js";
import type { HealthState, HealthView } from "../../src/core/index.js";
import { StatusHistory, consensusState } from "../../src/daemon/index.js";

const health = (region: string, state: HealthState) => ({ region, state, sinceMs: 0, errorRate: 0, consecutiveFailures: 0, consecutiveSuccesses: 0 });
const view = (observer: string, atMs: number, states: Record<string, HealthState>): HealthView => ({
  observer, atMs, regions: Object.fromEntries(Object.entries(states).map(([r, s]) => [r, health(r, s)])),
});
function status(nowMs: number, views: HealthView[], auroraLagMs: Record<string, number> = {}): ControllerStatus {
  return {
    application: "orders", region: "us-east-2", controllerId: "us-east-2/t", views, lag: { auroraLagMs, dynamodbLagMs: {}, atMs: nowMs },
    lease: { epoch: 1, heldByMe: false }, cycles: 1, ready: true, notes: [], nowMs,
  };
}

describe("consensusState", () => {
  it("takes the state most fresh observers report, ignoring views older than maxViewAge", () => {
    const views = [view("us-east-1", 0, { "us-east-1": "UP" }), view("us-east-2", 95_000, { "us-east-1": "DOWN" }), view("us-west-2", 96_000, { "us-east-1": "DOWN" })];
    expect(consensusState(views, "us-east-1", 100_000, 30_000)).toBe("DOWN");
    // Two stale UP views against one fresh DOWN: DOWN. The same views with the freshness filter off
    // (the broken variant) would read UP, which is what the page showed for a dead region's controller.
    const staleMajority = [view("a", 0, { r: "UP" }), view("b", 0, { r: "UP" }), view("c", 99_000, { r: "DOWN" })];
    expect(consensusState(staleMajority, "r", 100_000, 30_000)).toBe("DOWN");
    expect(consensusState(staleMajority, "r", 100_000, Number.POSITIVE_INFINITY)).toBe("UP");
  });

  it("resolves a tie toward the worse state and answers UNKNOWN without a fresh view", () => {
    const tie = [view("a", 100, { r: "UP" }), view("b", 100, { r: "DOWN" })];
    expect(consensusState(tie, "r", 100, 30_000)).toBe("DOWN");
    expect(consensusState(tie.reverse(), "r", 100, 30_000)).toBe("DOWN");
    expect(consensusState([view("a", 0, { r: "UP" })], "r", 100_000, 30_000)).toBe("UNKNOWN");
  });
});

describe("StatusHistory", () => {
  it("records one sample per cycle of controller time, however often it is asked", () => {
    const h = new StatusHistory({ spacingMs: 10_000, maxViewAgeMs: 30_000 });
    for (let t = 0; t <= 60_000; t += 1_000) h.observe([status(t, [view("us-east-2", t, { "us-east-1": "UP" })], { "us-west-2": t / 100 + 0.4 })]);
    expect(h.list().map((s) => s.atMs)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(h.list()[3]).toEqual({ atMs: 30_000, health: { "us-east-1": "UP" }, auroraLagMs: { "us-west-2": 300 }, dynamodbLagMs: {} });
  });

  it("keeps one hour and no more, whatever the spacing", () => {
    const h = new StatusHistory({ spacingMs: 10_000, maxViewAgeMs: 30_000 });
    for (let t = 0; t <= 3 * 3_600_000; t += 10_000) h.observe([status(t, [])]);
    const samples = h.list();
    expect(samples.at(-1)!.atMs - samples[0]!.atMs).toBeLessThanOrEqual(3_600_000);
    expect(samples.length).toBe(361);
    // A tiny spacing is still capped by count (a daemon misconfigured to 1 ms cycles).
    const dense = new StatusHistory({ spacingMs: 1, maxViewAgeMs: 30_000 });
    for (let t = 0; t < 10_000; t++) dense.observe([status(t, [])]);
    expect(dense.size).toBe(3_600);
  });

  it("marks a region DOWN when fresh observers say so, while the dead region's own stale view still says UP", () => {
    const h = new StatusHistory({ spacingMs: 10_000, maxViewAgeMs: 30_000 });
    const deadView = view("us-east-1", 0, { "us-east-1": "UP", "us-west-2": "UP" });
    for (let t = 0; t <= 120_000; t += 10_000) {
      const down = t >= 60_000;
      const live = (o: string) => view(o, t, { "us-east-1": down ? "DOWN" : "UP", "us-west-2": "UP" });
      h.observe([status(t, [t < 60_000 ? view("us-east-1", t, { "us-east-1": "UP", "us-west-2": "UP" }) : deadView, live("us-east-2"), live("us-west-2")])]);
    }
    const east = h.list().map((s) => s.health["us-east-1"]);
    expect(east.slice(0, 6)).toEqual(["UP", "UP", "UP", "UP", "UP", "UP"]);
    expect(east.slice(6)).toEqual(["DOWN", "DOWN", "DOWN", "DOWN", "DOWN", "DOWN", "DOWN"]);
  });

  it("starts over when the controllers' clock goes backwards (a restarted sandbox)", () => {
    const h = new StatusHistory({ spacingMs: 10_000, maxViewAgeMs: 30_000 });
    for (let t = 0; t <= 50_000; t += 10_000) h.observe([status(t, [])]);
    h.observe([status(5_000, [])]);
    expect(h.list().map((s) => s.atMs)).toEqual([5_000]);
  });
});
