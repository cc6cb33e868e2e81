// The simulated ARC cluster, through the production adapter on real SDK
// clients: what AWS documents about routing controls and where the world
// has to assume (each title names its source).
import { describe, expect, it } from "vitest";
import { AwsCallError } from "../../src/core/index.js";
import { DEFAULT_ROUTING_CONTROL_DELAY_MS, SIM_SAFETY_RULE_ARN } from "../../src/sim/arc.js";
import { testWorld } from "./harness.js";

const RC = "controller: { traffic: { strategy: routing-control } }\n";
const scenario = (extra = "", world = "") => `name: t\nduration: 2h\n${RC}${world ? `world: { ${world} }\n` : ""}${extra}`;

function arcWorld(extra = "", world = "", caller = "us-east-2") {
  const t = testWorld(scenario(extra, world), caller);
  const cfg = t.config.traffic;
  if (cfg.strategy !== "routing-control") throw new Error("expected a routing-control config");
  const arc = t.adapters.routingControl!(cfg.clusterEndpoints);
  const control = (r: string) => cfg.routingControls[r]!;
  const flip = (to: string, from: string, safetyRulesToOverride?: string[]) =>
    t.call(arc.updateRoutingControlStates({ entries: [{ arn: control(to), state: "On" }, { arn: control(from), state: "Off" }], ...(safetyRulesToOverride && { safetyRulesToOverride }) }));
  return { ...t, arc, control, flip, endpoints: cfg.clusterEndpoints };
}

describe("simulated Route 53 ARC (routing-control.update.api.html, route53-arc-best-practices.regional.html)", () => {
  it("starts with the first app region's control On and DNS answering it", async () => {
    const t = arcWorld();
    await t.runTo(0);
    expect(t.world.dnsAnswer()).toBe("us-east-1");
    expect((await t.call(t.arc.getRoutingControlState(t.control("us-east-1")))).state).toBe("On");
    expect((await t.call(t.arc.getRoutingControlState(t.control("us-west-2")))).state).toBe("Off");
  });

  it(`a RECOVERY_CONTROL health check follows its control after ${DEFAULT_ROUTING_CONTROL_DELAY_MS / 1000} s: AWS documents no figure (routing-control.create-health-check.html describes the mechanism only), so the delay is a world setting`, async () => {
    for (const [world, delayMs] of [["", DEFAULT_ROUTING_CONTROL_DELAY_MS], ["route53: { routingControlDelay: 25s }", 25_000]] as const) {
      const t = arcWorld("", world);
      await t.runTo(60_000);
      await t.flip("us-west-2", "us-east-1");
      // The cluster applies the change at the world's time of the call (its arc.controls event).
      const flippedAt = t.world.timeline.find((e) => e.event === "arc.controls")!.atMs;
      let movedAt: number | undefined;
      for (let s = Math.ceil(flippedAt / 1000); s <= Math.ceil(flippedAt / 1000) + 60 && movedAt === undefined; s++) {
        await t.runTo(s * 1000);
        if (t.world.dnsAnswer() === "us-west-2") movedAt = s * 1000;
      }
      expect(movedAt! - flippedAt, world).toBeGreaterThanOrEqual(delayMs);
      expect(movedAt! - flippedAt, world).toBeLessThan(delayMs + 1_000);
      expect(t.world.timeline.filter((e) => e.event === "route53.healthcheck").map((e) => e.detail)).toEqual([
        { region: "us-east-1", healthy: false, type: "RECOVERY_CONTROL" },
        { region: "us-west-2", healthy: true, type: "RECOVERY_CONTROL" },
      ]);
    }
  });

  it('safety rules judge the whole change: "target On, old Off" in one call passes; all Off is a ConflictException unless the rule is overridden', async () => {
    const t = arcWorld();
    await t.runTo(0);
    await t.flip("us-west-2", "us-east-1");
    const allOff = t.arc.updateRoutingControlStates({ entries: [{ arn: t.control("us-west-2"), state: "Off" }] });
    const err = await t.call(allOff).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ code: "ConflictException", retryable: false });
    expect((await t.call(t.arc.getRoutingControlState(t.control("us-west-2")))).state).toBe("On");
    await t.call(t.arc.updateRoutingControlStates({ entries: [{ arn: t.control("us-west-2"), state: "Off" }], safetyRulesToOverride: [SIM_SAFETY_RULE_ARN] }));
    expect((await t.call(t.arc.getRoutingControlState(t.control("us-west-2")))).state).toBe("Off");
    expect(t.world.timeline.find((e) => e.event === "arc.controls" && e.detail?.overridden)).toBeDefined();
  });

  it("an endpoint's region outage, or a partition from the caller, cuts that endpoint alone: the flip lands on another", async () => {
    // Every endpoint but eu-west-1 is cut: us-east-1 by an outage, us-west-2 by a partition from the caller (us-east-2), the two in Asia by 5xx
    // (not timeouts: an injected timeout may have landed, and then the flip landed there).
    const faults = [
      "faults:",
      "  - { at: 0s, kind: region-outage, region: us-east-1 }",
      "  - { at: 0s, kind: partition, between: [us-east-2, us-west-2] }",
      "  - { at: 0s, kind: api-errors, service: route53-recovery-cluster, region: ap-northeast-1, error: 5xx, rate: 1 }",
      "  - { at: 0s, kind: api-errors, service: route53-recovery-cluster, region: ap-southeast-2, error: 5xx, rate: 1 }",
      "",
    ].join("\n");
    const t = arcWorld(faults);
    await t.runTo(0);
    const out = await t.flip("us-west-2", "us-east-1");
    expect(out.endpointRegion).toBe("eu-west-1");
    expect(t.world.timeline.find((e) => e.event === "arc.controls")?.detail).toMatchObject({ endpoint: "eu-west-1", "us-west-2": "On", "us-east-1": "Off" });
  });

  it("with every endpoint failing the flip fails as one retryable error naming all five regions, and nothing changes", async () => {
    // 5xx, not timeouts: an injected timeout may have landed (middleware.ts), and then the flip did change something.
    const t = arcWorld("faults: [{ at: 0s, kind: api-errors, service: route53-recovery-cluster, error: 5xx, rate: 1 }]\n");
    await t.runTo(0);
    const err = await t.call(t.flip("us-west-2", "us-east-1"), 60_000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "AllEndpointsUnavailable", retryable: true });
    expect((err as AwsCallError).region.split(",").sort()).toEqual(t.endpoints.map((e) => e.region).sort());
    await t.runTo(t.clock.now() + 30_000);
    expect(t.world.dnsAnswer()).toBe("us-east-1");
  });
});
