// Split brain is measurable: a rogue that promotes without the lease (and
// moves traffic, as a runbook would) while the old writer is cut off from
// the new one makes two writers take client writes, and the verdict says
// so; the same world under the real controller has none. Before the second
// wave the simulated Aurora demoted the old writer in the same step as the
// promotion, so this test could not fail.
import { describe, expect, it } from "vitest";
import { marshall } from "@aws-sdk/util-dynamodb";
import { FailoverController } from "../../src/controller/index.js";
import type { ControllerFactory } from "../../src/sim/controller-port.js";
import { realController, shippedRunbooks } from "../../src/sim/real-controller.js";
import { runScenario } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const SCENARIO = parseScenario(
  `name: rogue-promotion
duration: 40m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, kind: partition, between: [us-east-1, us-west-2] }
expect: { splitBrain: false }
`,
  "rogue-promotion.yaml",
);

/** The witness's process: the real controller, except that at 10 min it promotes us-west-2 and moves traffic there, taking no lease. */
const rogue: ControllerFactory = (ctx) => {
  const real = new FailoverController({ config: ctx.config, region: ctx.region, instanceId: `i${ctx.instance}`, adapters: ctx.adapters, http: ctx.http, clock: ctx.clock, runbooks: shippedRunbooks(), events: ctx.events });
  let done = ctx.region !== "us-east-2";
  return {
    async tick() {
      if (done || ctx.clock.now() < 10 * 60_000) return real.tick();
      done = true;
      const { config, adapters } = ctx;
      const ks = config.traffic.strategy === "health-check" ? config.traffic.killSwitch : undefined;
      await adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: config.aurora.globalCluster, targetClusterArn: config.aurora.clusters["us-west-2"]! });
      await ctx.clock.sleep(4 * 60_000); // the promotion takes "a few minutes"
      await adapters.region(config.coordination.region).dynamodb.updateItem({
        tableName: config.coordination.table,
        key: marshall({ pk: `control#${config.application}`, sk: "lease" }),
        updateExpression: "SET activeRegion = :to",
        values: marshall({ ":to": "us-west-2" }),
      });
      for (const [region, value] of [["us-west-2", 1], ["us-east-1", 0]] as const) {
        await adapters.region(region).cloudwatch.putMetricData({ namespace: ks!.namespace, data: [{ metricName: ks!.metricName, dimensions: { Region: region }, value, timestampMs: ctx.clock.now(), unit: "Count" }] });
      }
    },
  };
};

describe("split brain as AWS documents it (best-effort fencing)", () => {
  it("a promotion without the lease while the old writer is cut off: two writers take client writes, and the verdict fails", async () => {
    const v = await runScenario(SCENARIO, { controller: rogue });
    expect(v.measured.splitBrainMs).toBeGreaterThan(0);
    expect(v.measured.splitBrainWrites).toBeGreaterThan(0);
    expect(v.measured.failovers).toBe(1);
    expect(v.measured.falseFailovers).toBe(1); // us-east-1 never failed a client
    expect(v.passed).toBe(false);
    expect(v.violations.join("\n")).toMatch(/split brain for .* divergent writes/);
  }, 60_000);

  it("the same world under the real controller: one writer, nothing moves", async () => {
    const v = await runScenario(SCENARIO, { controller: realController });
    expect(v.measured).toMatchObject({ splitBrainMs: 0, splitBrainWrites: 0, failovers: 0, lostWrites: 0 });
    expect(v.passed).toBe(true);
  }, 60_000);
});
