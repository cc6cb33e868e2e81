// Route 53 as the simulator models it; each test names the
// reference/aws-apis.md line it checks.
import { describe, expect, it } from "vitest";
import { ClientsModel } from "../../src/sim/clients-model.js";
import { createSimAdapters } from "../../src/sim/middleware.js";
import type { Fault } from "../../src/sim/types.js";
import { resolved, settle, worldFrom, type TestWorld } from "./helpers.js";

const KS = { ns: "Failover/orders", name: "RegionInService" };
/** Keeps a region's dead man's switch at `value` (a controller's heartbeat) every 30 s from now on. */
function vouch(t: TestWorld, region: string, value: number, everyMs = 30_000): void {
  const put = () => {
    t.world.cloudwatch.put(region, KS.ns, KS.name, { Region: region }, value, t.sched.now());
    t.sched.after(everyMs, put);
  };
  put();
}
const answer = (t: TestWorld) => t.world.route53.answer.map(([r]) => r);
const appOutage = (region: string): Fault => ({ kind: "region-outage", region, services: ["app"], allServices: false, atMs: 0, index: 0 });

describe("Route 53 fidelity (reference/aws-apis.md)", () => {
  it('"Health checks: RequestInterval 10 or 30 s, FailureThreshold 1-10": unhealthy on the threshold-th failed round, healthy after as many good ones', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { route53: { healthCheckInterval: 30s, healthCheckFailureThreshold: 3 } }\n");
    vouch(t, "us-east-1", 1);
    const flips: [number, boolean][] = [];
    const fault = appOutage("us-east-1");
    t.sched.at(t.world.core.startMs + 95_000, () => t.world.core.startFault(fault));
    t.sched.at(t.world.core.startMs + 305_000, () => t.world.core.endFault(fault));
    flips.push([0, t.world.route53.isHealthy("hc-orders-us-east-1")!]);
    t.sched.afterBatch = () => {
      const h = t.world.route53.isHealthy("hc-orders-us-east-1")!;
      if (flips.at(-1)?.[1] !== h) flips.push([t.elapsed(), h]);
    };
    await t.sched.runUntil(t.world.core.startMs + 600_000);
    // Rounds at 30 s multiples: 120, 150, 180 fail -> unhealthy at 180 s; 330, 360, 390 succeed -> healthy at 390 s.
    expect(flips).toEqual([
      [0, true],
      [180_000, false],
      [390_000, true],
    ]);
  });

  it('"if all are unhealthy, Route 53 answers as if all were healthy": failover records keep the PRIMARY', async () => {
    const t = await worldFrom();
    // Nobody vouches for either region: both kill-switch alarms breach (missing data).
    await t.sched.runUntil(t.world.core.startMs + 600_000);
    expect(t.world.route53.isHealthy("hc-orders-us-east-1")).toBe(false);
    expect(t.world.route53.isHealthy("hc-orders-us-west-2")).toBe(false);
    expect(answer(t)).toEqual(["us-east-1"]);
  });

  it('"Failover routing ... Primary unhealthy + secondary healthy -> secondary answers" (and with three regions, the first healthy in order)', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { regions: [us-east-1, us-west-2, eu-west-1, us-east-2], witness: us-east-2 }\n");
    vouch(t, "eu-west-1", 1);
    await t.sched.runUntil(t.world.core.startMs + 600_000);
    expect(answer(t)).toEqual(["eu-west-1"]);
    vouch(t, "us-west-2", 1);
    await t.sched.runUntil(t.world.core.startMs + 900_000);
    expect(answer(t)).toEqual(["us-west-2"]);
  });

  it('"ChangeResourceRecordSets ... returns ChangeInfo{Id, Status: PENDING|INSYNC}. GetChange {Id} -> INSYNC": the zone changes at once, DNS answers after propagation', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { route53: { changePropagation: 40s } }\n");
    vouch(t, "us-east-1", 1);
    const r53 = createSimAdapters(t.world, "us-west-2").route53;
    await t.sched.runUntil(t.world.core.startMs + 10_000);
    const submittedMs = t.elapsed();
    const change = await resolved(
      t.sched,
      r53.changeResourceRecordSets({
        hostedZoneId: "ZSANDBOX0000001",
        changes: [
          {
            action: "UPSERT",
            record: { name: "orders.sandbox.internal", type: "CNAME", setIdentifier: "us-east-1", failover: "PRIMARY", ttlSeconds: 60, values: ["us-west-2.orders.sandbox.internal"], healthCheckId: "hc-orders-us-east-1" },
          },
        ],
      }),
    );
    expect(change.status).toBe("PENDING");
    const listed = await resolved(t.sched, r53.listResourceRecordSets("ZSANDBOX0000001", "orders.sandbox.internal"));
    expect(listed.find((r) => r.setIdentifier === "us-east-1")?.values).toEqual(["us-west-2.orders.sandbox.internal"]);
    expect(answer(t)).toEqual(["us-east-1"]);
    expect(await resolved(t.sched, r53.getChange(change.changeId))).toBe("PENDING");
    await t.sched.runUntil(t.world.core.startMs + submittedMs + 40_500);
    expect(await resolved(t.sched, r53.getChange(change.changeId))).toBe("INSYNC");
    expect(answer(t)).toEqual(["us-west-2"]);
  });

  it('"ChangeResourceRecordSets ... is atomic per batch": one bad change and nothing is applied (InvalidChangeBatch)', async () => {
    const t = await worldFrom();
    const r53 = createSimAdapters(t.world, "us-east-1").route53;
    const before = await resolved(t.sched, r53.listResourceRecordSets("ZSANDBOX0000001"));
    const out = await settle(
      t.sched,
      r53.changeResourceRecordSets({
        hostedZoneId: "ZSANDBOX0000001",
        changes: [
          { action: "UPSERT", record: { name: "new.orders.sandbox.internal", type: "CNAME", ttlSeconds: 60, values: ["x.example.com"] } },
          { action: "DELETE", record: { name: "absent.orders.sandbox.internal", type: "CNAME", ttlSeconds: 60, values: ["y.example.com"] } },
        ],
      }),
    );
    expect(out).toMatchObject({ ok: false, error: { code: "InvalidChangeBatch", retryable: false } });
    expect(await resolved(t.sched, r53.listResourceRecordSets("ZSANDBOX0000001"))).toEqual(before);
  });

  it('"Every Route 53 API call ... is control plane hosted in us-east-1 ... DNS answers and health checkers ... keep working when the control plane is down"', async () => {
    const t = await worldFrom();
    vouch(t, "us-east-1", 1);
    vouch(t, "us-west-2", 1);
    const cp: Fault = { kind: "control-plane-outage", service: "route53", atMs: 0, index: 0 };
    t.world.core.startFault(cp);
    const r53 = createSimAdapters(t.world, "us-west-2").route53;
    const out = await settle(t.sched, r53.getChange("C000000000001"));
    expect(out).toMatchObject({ ok: false, error: { call: "route53:GetChange", region: "us-east-1", retryable: true } });
    // The data plane still moves traffic: the primary's app dies, the secondary answers.
    t.world.core.startFault(appOutage("us-east-1"));
    await t.sched.runUntil(t.sched.now() + 60_000);
    expect(answer(t)).toEqual(["us-west-2"]);
  });

  it('"Route 53 health-check failover alone: interval x threshold + TTL": clients follow a new answer only as their cached TTL expires', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { dnsTtl: 60s, clientsPerRegion: 100 }\n");
    const clients = new ClientsModel(t.world);
    vouch(t, "us-east-1", 1);
    vouch(t, "us-west-2", 1);
    const start = t.world.core.startMs;
    await t.sched.runUntil(start + 120_000);
    t.world.core.startFault(appOutage("us-east-1"));
    let changedAt: number | undefined;
    t.world.route53.answerListeners.push(() => (changedAt ??= t.sched.now()));
    while (changedAt === undefined && t.sched.now() < start + 300_000) await t.sched.runUntil(t.sched.now() + 1_000);
    expect(changedAt).toBeDefined();
    const share = () => (clients.directed.get("us-west-2") ?? 0) / clients.total;
    const moved: number[] = [];
    for (const dt of [0, 15_000, 30_000, 45_000, 59_999, 60_000]) {
      await t.sched.runUntil(changedAt! + dt);
      moved.push(share());
    }
    expect(moved[0]).toBeLessThan(0.05);
    for (let i = 1; i < moved.length; i++) expect(moved[i]!).toBeGreaterThanOrEqual(moved[i - 1]!);
    expect(moved[2]).toBeGreaterThan(0.3);
    expect(moved[2]).toBeLessThan(0.7);
    expect(moved[3]).toBeLessThan(1);
    expect(moved[5]).toBe(1);
  });
});
