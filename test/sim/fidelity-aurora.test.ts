// Aurora global database as the simulator models it; each test names the
// reference/aws-apis.md line it checks. Calls go through the production
// adapters on real RDS clients.
import { describe, expect, it } from "vitest";
import { ClientsModel } from "../../src/sim/clients-model.js";
import { Measure } from "../../src/sim/measure.js";
import { createSimAdapters } from "../../src/sim/middleware.js";
import type { Fault, OutageService } from "../../src/sim/types.js";
import { resolved, settle, worldFrom } from "./helpers.js";

const GLOBAL = "orders-global";
const USE1 = "arn:aws:rds:us-east-1:111122223333:cluster:orders-use1";
const USW2 = "arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2";
const FIXED_LAG = "name: t\nduration: 2h\nworld: { aurora: { replicationLag: { mean: 2s, jitter: 0ms }, failoverDuration: 60s, switchoverDuration: 90s } }\n";
const outage = (region: string, services: OutageService[]): Fault => ({ kind: "region-outage", region, services, allServices: false, atMs: 0, index: 0 });

describe("Aurora fidelity (reference/aws-apis.md)", () => {
  it('"SwitchoverGlobalCluster ...: planned, RPO 0; Aurora waits for the target to sync, then swaps roles" (and refuses a second operation meanwhile)', async () => {
    const t = await worldFrom(FIXED_LAG);
    const lag: Fault = { kind: "replication-lag", service: "aurora", lagMs: 120_000, atMs: 0, index: 1 };
    t.world.core.startFault(lag);
    t.sched.at(t.world.core.startMs + 200_000, () => t.world.core.endFault(lag));
    const primary = createSimAdapters(t.world, "us-east-1").region("us-east-1").aurora;
    const started = await resolved(t.sched, primary.switchoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2 }));
    const t0 = t.elapsed();
    expect(started.failoverState).toMatchObject({ status: "switching-over", dataLossAllowed: false });
    expect(started.members.find((m) => m.isWriter)?.region).toBe("us-east-1");
    // Writes stop on the primary at once: nothing can be lost.
    expect(t.world.aurora.acceptsWrites("us-east-1")).toBe(false);
    const second = await settle(t.sched, createSimAdapters(t.world, "us-west-2").region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2 }));
    expect(second).toMatchObject({ ok: false, error: { code: "InvalidGlobalClusterStateFault", retryable: false } });
    // Still lagging 2 minutes: no swap yet.
    await t.sched.runUntil(t.world.core.startMs + t0 + 100_000);
    expect((await resolved(t.sched, primary.describeGlobalCluster(GLOBAL))).failoverState?.status).toBe("switching-over");
    // Synced once the target has applied everything up to the switchover (lag 2 min), then 90 s to swap.
    await t.sched.runUntil(t.world.core.startMs + t0 + 120_000 + 90_000 + 2_000);
    const done = await resolved(t.sched, primary.describeGlobalCluster(GLOBAL));
    expect(done.failoverState).toBeUndefined();
    expect(done.members.find((m) => m.isWriter)?.region).toBe("us-west-2");
    expect(t.world.aurora.losses).toEqual([]);
    expect(t.world.aurora.acceptsWrites("us-west-2")).toBe(true);
  });

  it('"SwitchoverGlobalCluster" is refused while the primary is unreachable (InvalidDBClusterStateFault)', async () => {
    const t = await worldFrom(FIXED_LAG);
    t.world.core.startFault(outage("us-east-1", ["aurora"]));
    // (Sent from the witness: the adapter itself refuses a switchover sent to the target's own region.)
    const viaWitness = await settle(t.sched, createSimAdapters(t.world, "us-east-2").region("us-east-2").aurora.switchoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2 }));
    expect(viaWitness).toMatchObject({ ok: false, error: { code: "InvalidDBClusterStateFault" } });
  });

  it('"FailoverGlobalCluster {..., AllowDataLoss}: unplanned" loses exactly the writes the target had not applied', async () => {
    const t = await worldFrom(FIXED_LAG);
    const measure = new Measure(t.world, new ClientsModel(t.world), []);
    const start = t.world.core.startMs;
    // One acknowledged write every 100 ms from 190 s to 199.9 s on the primary.
    for (let ms = 190_000; ms < 200_000; ms += 100) measure.recordWrites("us-east-1", start + ms, 1);
    await t.sched.runUntil(start + 200_000);
    // The primary's region goes dark: replication stops with the target 2 s behind (applied up to 198 s).
    t.world.core.startFault(outage("us-east-1", ["app", "aurora"]));
    await t.sched.runUntil(start + 250_000);
    const target = createSimAdapters(t.world, "us-west-2").region("us-west-2").aurora;
    const during = await resolved(t.sched, target.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2 }));
    expect(during.failoverState).toMatchObject({ status: "failing-over", dataLossAllowed: true, fromClusterArn: USE1, toClusterArn: USW2 });
    // "Right after the call the old primary still shows IsWriter."
    expect(during.members.find((m) => m.isWriter)?.clusterArn).toBe(USE1);
    await t.sched.runUntil(start + 320_000);
    const after = await resolved(t.sched, target.describeGlobalCluster(GLOBAL));
    // "Done = FailoverState absent and the target member IsWriter: true."
    expect(after.failoverState).toBeUndefined();
    expect(after.members.find((m) => m.isWriter)?.clusterArn).toBe(USW2);
    const m = measure.finish();
    // Writes at 198.1 s .. 199.9 s were acknowledged after the target's applied point: 19 writes over 1.9 s.
    expect(m.lostWrites).toBe(19);
    expect(m.rpoMs).toBe(1_900);
    expect(m.failovers).toBe(1);
  });

  it('"Afterwards Aurora tries to fence the old primary (best effort) ... and re-adds it as a secondary when its region recovers"', async () => {
    const t = await worldFrom(FIXED_LAG);
    const down = outage("us-east-1", ["aurora"]);
    t.world.core.startFault(down);
    await resolved(t.sched, createSimAdapters(t.world, "us-west-2").region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: GLOBAL, targetClusterArn: USW2 }));
    await t.sched.runUntil(t.sched.now() + 120_000);
    // Unreachable, the old primary could not be fenced: it still believes it is the writer.
    expect(t.world.aurora.member("us-east-1")?.believesWriter).toBe(true);
    t.world.core.endFault(down);
    await t.sched.runUntil(t.sched.now() + 1_000);
    expect(t.world.aurora.member("us-east-1")).toMatchObject({ believesWriter: false, role: "secondary", sync: "pending-resync" });
    expect(t.world.aurora.acceptsWrites("us-east-1")).toBe(false);
    await t.sched.runUntil(t.sched.now() + 301_000);
    expect(t.world.aurora.member("us-east-1")?.sync).toBe("connected");
  });

  it('"Metrics ... AuroraGlobalDBRPOLag ... published for the secondary cluster in the secondary\'s region"', async () => {
    const t = await worldFrom(FIXED_LAG);
    await t.sched.runUntil(t.world.core.startMs + 300_000);
    const cw = (r: string) => createSimAdapters(t.world, "us-east-2").region(r).cloudwatch;
    const q = { id: "lag", namespace: "AWS/RDS", metricName: "AuroraGlobalDBRPOLag", dimensions: { DBClusterIdentifier: "orders-usw2" }, periodSeconds: 60, stat: "Maximum" as const };
    const now = t.sched.now();
    const [inSecondary] = await resolved(t.sched, cw("us-west-2").getMetricData({ queries: [q], startMs: now - 300_000, endMs: now }));
    const [inPrimary] = await resolved(t.sched, cw("us-east-1").getMetricData({ queries: [q], startMs: now - 300_000, endMs: now }));
    expect(inSecondary?.values[0]).toBe(2_000);
    expect(inSecondary!.timestampsMs[0]!).toBeGreaterThan(inSecondary!.timestampsMs[1]!);
    expect(inPrimary?.values).toEqual([]);
  });
});
