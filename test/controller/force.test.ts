// The operator's override in a simulated world where only the quorum rule
// blocks the move (primary and witness dark, the control table in
// us-west-2): what --force relaxes (the quorum) and what it never relaxes
// (a data-loss estimate over the RPO without --accept-data-loss, a target a
// reporting observer sees DOWN, the active region, an unknown region).
import { describe, expect, it } from "vitest";
import { FailoverController, ManualRefused } from "../../src/controller/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const WORLD = `name: force
duration: 1h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
controller: { coordination: { region: us-west-2 } }
`;

async function lostQuorum(extraFaults = "", atMin = 2) {
  const s = new SimSession(parseScenario(`${WORLD}faults:\n  - { at: ${atMin}m, kind: region-outage, region: us-east-1 }\n  - { at: ${atMin}m, kind: region-outage, region: us-east-2 }\n${extraFaults}`, "force.yaml"), { controller: realController });
  await s.stepUntil(() => false, (atMin + 3) * 60_000);
  const c = s.controllerIn("us-west-2");
  if (!(c instanceof FailoverController)) throw new Error("no controller in us-west-2");
  return { s, c };
}

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ManualRefused);
  return (err as ManualRefused).message;
};

describe("failoverTo with force", () => {
  it("without --force the quorum refuses; with it the move runs under the lease and the incident says who, when and why", async () => {
    const { s, c } = await lostQuorum();
    expect(await refusal(s.drive(c.failoverTo("us-west-2", "unplanned"), s.world.nowMs + 60_000))).toMatch(/not seen UP by a quorum of 2.*--force/);
    expect(await refusal(s.drive(c.failoverTo("us-east-1", "unplanned", { force: true }), s.world.nowMs + 60_000))).toMatch(/already the active region/);
    expect(await refusal(s.drive(c.failoverTo("eu-west-1", "unplanned", { force: true }), s.world.nowMs + 60_000))).toMatch(/not an app region/);
    expect(s.world.timeline.some((e) => e.event === "runbook.started")).toBe(false); // refusals changed nothing
    const r = await s.drive(c.failoverTo("us-west-2", "unplanned", { force: true, by: "alice@laptop", reason: "primary and witness dark" }), s.world.nowMs + 30 * 60_000);
    expect(r).toMatchObject({ status: "succeeded", to: "us-west-2", runbook: "failover" });
    const incident = JSON.stringify([...s.world.control.values()]);
    expect(incident).toContain("operator.forced");
    expect(incident).toContain("alice@laptop");
    expect(incident).toContain("primary and witness dark");
    s.finish();
  }, 60_000);

  it("needs --accept-data-loss when the estimate is over the RPO", async () => {
    // The gap grows from when replication slowed: 20 minutes behind when the regions go dark.
    const { s, c } = await lostQuorum("  - { at: 0s, kind: replication-lag, service: aurora, lag: 60m }\n", 20);
    expect(await refusal(s.drive(c.failoverTo("us-west-2", "unplanned", { force: true }), s.world.nowMs + 60_000))).toMatch(/data-loss estimate \d+ms exceeds the RPO 900000ms: add --accept-data-loss/);
    const r = await s.drive(c.failoverTo("us-west-2", "unplanned", { force: true, acceptDataLoss: true }), s.world.nowMs + 30 * 60_000);
    expect(r.status).toBe("succeeded");
    s.finish();
  }, 60_000);
});
