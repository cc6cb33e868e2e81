// The control table as an MRSC table in the simulated world: each controller
// talks to its own region's replica, and a write or a strongly consistent
// read succeeds only when that replica reaches a majority of the three
// regions (reference/aws-apis.md, "Strong mode (MRSC)").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FailoverController } from "../../src/controller/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession, runScenario } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { testWorld } from "./harness.js";

const STRONG = "controller: { coordination: { consistency: strong } }\n";
const item = (sk: string) => ({ tableName: "failover-control", item: { pk: { S: "t" }, sk: { S: sk } } });

/** Each region's controller writes to its own region's replica (the caller is that region). */
async function putFrom(yaml: string, atMs: number, regions: string[]) {
  const out: Record<string, string> = {};
  for (const r of regions) {
    const t = testWorld(yaml, r);
    await t.runTo(atMs);
    out[r] = await t.call(t.adapters.region(r).dynamodb.putItem(item(r))).then(
      () => "ok",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  }
  return out;
}

describe("MRSC control table in the simulated world", () => {
  it("every replica of a three-replica table serves writes while the three regions reach each other", async () => {
    expect(await putFrom(`name: t\nduration: 1h\n${STRONG}`, 1_000, ["us-east-1", "us-west-2", "us-east-2"])).toEqual({ "us-east-1": "ok", "us-west-2": "ok", "us-east-2": "ok" });
  });

  it("a replica cut from both other regions fails writes (no majority); the majority side goes on", async () => {
    const yaml = `name: t\nduration: 1h\n${STRONG}faults:\n  - { at: 1m, kind: partition, between: [us-west-2, us-east-1] }\n  - { at: 1m, kind: partition, between: [us-west-2, us-east-2] }\n`;
    const out = await putFrom(yaml, 70_000, ["us-east-1", "us-west-2", "us-east-2"]);
    expect(out["us-west-2"]).toMatch(/replica in us-west-2 cannot reach a majority/);
    expect(out).toMatchObject({ "us-east-1": "ok", "us-east-2": "ok" });
    // One partition only: us-west-2 still reaches us-east-1, two of three.
    const one = `name: t\nduration: 1h\n${STRONG}faults:\n  - { at: 1m, kind: partition, between: [us-west-2, us-east-2] }\n`;
    expect((await putFrom(one, 70_000, ["us-west-2"]))["us-west-2"]).toBe("ok");
  });

  it("losing the witness region leaves two of three; losing a second region leaves none", async () => {
    const witnessDown = `name: t\nduration: 1h\n${STRONG}faults:\n  - { at: 1m, kind: region-outage, region: us-east-2 }\n`;
    expect(await putFrom(witnessDown, 70_000, ["us-east-1", "us-west-2"])).toEqual({ "us-east-1": "ok", "us-west-2": "ok" });
    const twoDown = `${witnessDown}  - { at: 1m, kind: region-outage, region: us-east-1, services: [dynamodb] }\n`;
    expect((await putFrom(twoDown, 70_000, ["us-west-2"]))["us-west-2"]).toMatch(/cannot reach a majority/);
  });

  it("a two-replica table has no replica in its witness region; a single-region table exists in one region only", async () => {
    const two = "name: t\nduration: 1h\ncontroller: { coordination: { consistency: strong, replicas: [us-east-1, us-west-2], region: us-west-2 } }\n";
    const out = await putFrom(two, 1_000, ["us-east-1", "us-east-2"]);
    expect(out).toMatchObject({ "us-east-1": "ok" });
    expect(out["us-east-2"]).toMatch(/no replica in us-east-2/);
    const single = await putFrom("name: t\nduration: 1h\n", 1_000, ["us-east-2", "us-east-1"]);
    expect(single["us-east-2"]).toBe("ok");
    expect(single["us-east-1"]).toMatch(/no replica in us-east-1/);
  });
});

describe("MRSC game days", () => {
  const load = (name: string) => parseScenario(readFileSync(`test/gameday/${name}.yaml`, "utf8"), `${name}.yaml`);

  it("witness lost with a three-replica table: the failover happens; the same faults with a single-region table in the witness stop it", async () => {
    const mrsc = await runScenario(load("mrsc-witness-lost"), { controller: realController });
    expect(mrsc.violations).toEqual([]);
    expect(mrsc.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2", splitBrainMs: 0 });
    const single = load("mrsc-witness-lost");
    delete single.controller;
    const v = await runScenario(single, { controller: realController });
    expect(v.measured).toMatchObject({ failovers: 0, activeRegion: "us-east-1" });
    expect(v.timeline.some((e) => e.event === "escalation" && e.detail?.reason === "store-unreachable")).toBe(true);
  }, 60_000);

  it("a region cut from both others: its table writes fail and it never holds the lease; nothing moves", async () => {
    const session = new SimSession(load("mrsc-region-isolated"), { controller: realController });
    const errors: string[] = [];
    for (let t = 0; t <= session.scenario.duration; t += 10_000) {
      await session.stepUntil(() => false, t);
      const c = session.controllerIn("us-west-2");
      if (c instanceof FailoverController && t > 11 * 60_000 && t < 40 * 60_000) errors.push(...(c.status().lastCycle?.errors ?? []));
    }
    const v = session.finish();
    expect(v.violations).toEqual([]);
    expect(errors.some((e) => /us-west-2 cannot reach a majority/.test(e))).toBe(true);
    expect(v.timeline.filter((e) => e.event === "lease.acquired" && String(e.detail?.controller).startsWith("us-west-2"))).toEqual([]);
  }, 60_000);
});
