// Scripted operators answering an approval gate in virtual time: the lag is
// over the RPO, the controller escalates rpo-breach and waits at the gate;
// `approve` lets the failover run (accepting the loss), `reject` keeps the
// data and the region where they are.
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { ConfigError } from "../../src/core/index.js";

const scenario = (operator: string) =>
  parseScenario(
    `name: gate
duration: 1h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 0s, kind: replication-lag, service: aurora, lag: 40m }
  - { at: 20m, until: 50m, kind: region-outage, region: us-east-1 }
operator:
${operator}
expect: { notified: [rpo-breach] }
`,
    "gate.yaml",
  );

describe("scripted operator at the approval gate", () => {
  it("approve: the gated failover runs", async () => {
    const v = await runScenario(scenario("  - { at: 35m, action: approve }"), { controller: realController });
    expect(v.violations).toEqual([]);
    expect(v.timeline.find((e) => e.event === "operator.action")?.detail).toMatchObject({ action: "approve", incident: expect.stringMatching(/^orders-us-east-1-/) as unknown });
    expect(v.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2" });
  }, 60_000);

  it("reject: nothing moves", async () => {
    const v = await runScenario(scenario('  - { at: 35m, action: reject, reason: "we wait for the lag" }'), { controller: realController });
    expect(v.violations).toEqual([]);
    expect(v.timeline.find((e) => e.event === "operator.action")?.detail).toMatchObject({ action: "reject" });
    expect(v.measured.failovers).toBe(0);
  }, 60_000);

  it("an approve with no gate waiting is recorded as refused", async () => {
    const v = await runScenario(scenario("  - { at: 12m, action: approve }"), { controller: realController });
    expect(v.timeline.find((e) => e.event === "operator.refused")?.detail).toMatchObject({ why: "no incident waits for approval" });
  }, 60_000);

  it("refuses a force-failover without `to`, or to an unknown region, naming the field", () => {
    expect(() => scenario("  - { at: 30m, action: force-failover }")).toThrow(ConfigError);
    expect(() => scenario("  - { at: 30m, action: force-failover }")).toThrow(/gate\.yaml:\d+: operator\[0\]\.to: expected the app region/);
    expect(() => scenario("  - { at: 30m, action: force-failover, to: eu-west-1 }")).toThrow(/operator\[0\]\.to: expected an app region/);
  });
});
