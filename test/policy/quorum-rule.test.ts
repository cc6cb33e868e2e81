// One vote per observer, whatever order the views were read in.
import { describe, expect, it } from "vitest";
import type { HealthState, HealthView } from "../../src/core/index.js";
import { quorumVerdict } from "../../src/policy/index.js";

const view = (observer: string, atMs: number, state: HealthState): HealthView => ({
  observer,
  atMs,
  regions: { "us-east-1": { region: "us-east-1", state, sinceMs: 0, errorRate: state === "DOWN" ? 1 : 0, consecutiveFailures: 0, consecutiveSuccesses: 0 } },
});

describe("quorumVerdict", () => {
  it("counts only an observer's newest view", () => {
    const v = quorumVerdict([view("a", 1_000, "UP"), view("a", 2_000, "DOWN"), view("b", 2_000, "DOWN")], "us-east-1", 2, 2_000, 60_000);
    expect(v).toMatchObject({ down: true, agreeingDown: ["a", "b"] });
  });

  it("makes two disagreeing views of one observer at the same instant an UNKNOWN vote, in either order", () => {
    const views = [view("a", 2_000, "UP"), view("a", 2_000, "DOWN"), view("b", 2_000, "DOWN")];
    for (const order of [views, [...views].reverse()]) {
      expect(quorumVerdict(order, "us-east-1", 2, 2_000, 60_000)).toMatchObject({ down: false, up: false, agreeingDown: ["b"], agreeingUp: [], voters: ["a", "b"] });
    }
  });
});
