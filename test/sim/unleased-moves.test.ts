// The lease instrument sees every traffic move a runbook makes, whatever the
// strategy: a controller without the lease (the no-lease saboteur resumes a
// run another controller holds) that flips Route 53 ARC routing controls is
// counted, as its promotion is. Before, only promotions, record changes and
// kill-switch writes were: a routing-control flip by a non-holder passed
// unseen.
import { describe, expect, it } from "vitest";
import { SimSession } from "../../src/sim/runner.js";
import { saboteur } from "../../src/sim/saboteurs.js";
import { loadScenarios } from "../../src/sim/scenario.js";

describe("mutating calls by a controller without the lease", () => {
  it("include routing control flips", async () => {
    const { scenario, file } = (await loadScenarios("test/gameday/routing-control-region-outage.yaml"))[0]!;
    const session = new SimSession(scenario, { file, controller: saboteur("no-lease")!.controller! });
    await session.stepUntil(() => false, scenario.duration);
    const calls = session.world.unleased.map((u) => u.call);
    expect(calls.some((c) => c.startsWith("UpdateRoutingControlStates in "))).toBe(true);
    expect(session.finish().violations.join("\n")).toMatch(/did not hold the lease/);
  }, 60_000);
});
