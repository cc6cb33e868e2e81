// The simulator's second-wave behaviours, each against the AWS documentation
// line it follows (../shared/reference/aws-apis.md, "Checked against AWS's
// documentation (second wave)"), and the clients as people see them.
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/core/index.js";
import { ClientsModel } from "../../src/sim/clients-model.js";
import { testWorld } from "./harness.js";

const ARN = (t: ReturnType<typeof testWorld>, r: string) => t.config.aurora.clusters[r]!;

describe("Aurora global database (aurora-global-database-disaster-recovery.html)", () => {
  it('unplanned failover takes "typically ... within a few minutes": a drawn duration, not a constant', async () => {
    const durations = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const t = testWorld(`name: t\nseed: ${seed}\nduration: 2h\n`, "us-west-2");
      await t.runTo(10_000);
      await t.call(t.adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: ARN(t, "us-west-2") }));
      const op = t.world.aurora.op!;
      durations.add(op.doneAtMs - op.startedAtMs);
    }
    expect(durations.size).toBeGreaterThan(1);
    for (const d of durations) {
      expect(d).toBeGreaterThanOrEqual(60_000);
      expect(d).toBeLessThanOrEqual(180_000);
    }
  });

  it('write fencing is best effort: an old writer cut off from the new one keeps accepting writes ("split-brain"), then is fenced soon after it is reachable', async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 5s, until: 10m, kind: partition, between: [us-east-1, us-west-2] }]\n", "us-west-2");
    await t.runTo(10_000);
    await t.call(t.adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: ARN(t, "us-west-2") }));
    await t.runTo(5 * 60_000);
    expect(t.world.aurora.writer).toBe("us-west-2");
    // Two writers: the new one, and the old one that cannot hear it.
    expect(t.world.acceptsWrites("us-west-2")).toBe(true);
    expect(t.world.acceptsWrites("us-east-1")).toBe(true);
    await t.runTo(10 * 60_000 + 30_000);
    expect(t.world.acceptsWrites("us-east-1")).toBe(false);
    const fenced = t.world.timeline.find((e) => e.event === "aurora.fenced");
    expect(fenced?.atMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(fenced!.atMs).toBeLessThanOrEqual(10 * 60_000 + 20_000); // the documented "momentarily": a window of at most 20 s here
  });

  it("until it is fenced, the old writer's own region describes the world from before the promotion (AWS is silent: the worst case), the others the promotion", async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 5s, until: 10m, kind: partition, between: [us-east-1, us-west-2] }]\n", "us-east-2");
    await t.runTo(10_000);
    await t.call(t.adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: ARN(t, "us-west-2") }));
    const writerIn = async (r: string) => (await t.call(t.adapters.region(r).aurora.describeGlobalCluster("orders-global"))).members.filter((m) => m.isWriter).map((m) => m.region);
    await t.runTo(5 * 60_000);
    expect(await writerIn("us-west-2")).toEqual(["us-west-2"]);
    expect(await writerIn("us-east-1")).toEqual(["us-east-1"]);
    await t.runTo(10 * 60_000 + 30_000);
    expect(await writerIn("us-east-1")).toEqual(["us-west-2"]);
  });

  it('after an unplanned failover the old primary is rebuilt ("a few minutes to several hours"): pending-resync, refused as a target, no lag published', async () => {
    const t = testWorld("name: t\nduration: 4h\n", "us-west-2");
    await t.runTo(10_000);
    await t.call(t.adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: ARN(t, "us-west-2") }));
    await t.runTo(4 * 60_000 + 30_000);
    const state = await t.call(t.adapters.region("us-west-2").aurora.describeGlobalCluster("orders-global"));
    expect(state.members.find((m) => m.region === "us-east-1")?.synchronizationStatus).toBe("pending-resync");
    await expect(t.call(t.adapters.region("us-west-2").aurora.switchoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: ARN(t, "us-east-1") }))).rejects.toThrow(/pending-resync/);
    const lag = await t.call(t.adapters.region("us-east-1").cloudwatch.getMetricData({ queries: [{ id: "m", namespace: "AWS/RDS", metricName: "AuroraGlobalDBRPOLag", dimensions: { DBClusterIdentifier: "orders-us-east-1" }, periodSeconds: 60, stat: "Maximum" }], startMs: 0, endMs: t.clock.now() }));
    expect(lag[0]?.values).toEqual([]);
    await t.runTo(t.world.aurora.resyncUntilMs["us-east-1"]! + 1_000);
    const later = await t.call(t.adapters.region("us-west-2").aurora.describeGlobalCluster("orders-global"));
    expect(later.members.find((m) => m.region === "us-east-1")?.synchronizationStatus).toBe("connected");
  });

  it("replication rides the network between regions: a partition stops it, and the secondary's lag metric grows", async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 60s, until: 10m, kind: partition, between: [us-east-1, us-west-2] }]\n");
    await t.runTo(5 * 60_000);
    expect(t.world.aurora.lagMs["us-west-2"]).toBeGreaterThanOrEqual(4 * 60_000 - 1_000);
    await t.runTo(11 * 60_000);
    expect(t.world.aurora.lagMs["us-west-2"]).toBeLessThan(2_000);
  });
});

describe("Route 53 health checks (dns-failover-determining-health-of-endpoints.html)", () => {
  it("with the alarm's CloudWatch down (INSUFFICIENT_DATA), InsufficientDataHealthStatus decides: LastKnownStatus keeps, Unhealthy drops", async () => {
    for (const [setting, healthy] of [["LastKnownStatus", true], ["Unhealthy", false], ["Healthy", true]] as const) {
      const t = testWorld(`name: t\nduration: 2h\nworld: { route53: { insufficientDataHealthStatus: ${setting} } }\nfaults: [{ at: 2m, kind: region-outage, region: us-east-1, services: [cloudwatch] }]\n`);
      for (let s = 0; s <= 300; s += 10) {
        t.world.putKillSwitch("us-east-1", 1);
        await t.runTo(s * 1000);
      }
      expect(t.world.healthChecks.get("us-east-1")!.healthy, setting).toBe(healthy);
    }
  });
});

describe("clients as people see them", () => {
  const run = async (yaml: string, seconds: number) => {
    const t = testWorld(yaml);
    const clients = new ClientsModel(t.world, new SeededRandom(5));
    for (let s = 0; s <= seconds; s++) {
      if (s % 10 === 0) t.world.putKillSwitch("us-east-1", 1);
      await t.runTo(s * 1000);
      clients.step(s * 1000);
    }
    return { t, m: clients.measured(seconds * 1000) };
  };

  it("each request fails on its own draw: a 5 % gray failure for 3 minutes is an incident of about 3 minutes (it was rounded to 0)", async () => {
    const { m } = await run("name: t\nduration: 1h\nfaults: [{ at: 60s, until: 240s, kind: app-degraded, region: us-east-1, errorRate: 0.05 }]\n", 400);
    expect(m.rtoMs).toBeGreaterThanOrEqual(170_000);
    expect(m.rtoMs).toBeLessThanOrEqual(181_000);
    expect(m.failedWrites).toBeGreaterThan(0.03 * 200 * 180);
    expect(m.failedWrites).toBeLessThan(0.07 * 200 * 180);
  });

  it("a request slower than slowRequest counts as failed", async () => {
    const slow = await run("name: t\nduration: 1h\nworld: { clients: { slowRequest: 2s } }\nfaults: [{ at: 60s, until: 120s, kind: app-degraded, region: us-east-1, errorRate: 0, latency: 3s }]\n", 200);
    expect(slow.m.failedWrites).toBeGreaterThan(0);
    const patient = await run("name: t\nduration: 1h\nworld: { clients: { slowRequest: 10s } }\nfaults: [{ at: 60s, until: 120s, kind: app-degraded, region: us-east-1, errorRate: 0, latency: 3s }]\n", 200);
    expect(patient.m.failedWrites).toBe(0);
  });

  it("a share of clients keeps DNS answers past the TTL (dnsCacheOverrun)", async () => {
    const onOldAfter = async (yaml: string) => {
      const t = testWorld(yaml);
      const clients = new ClientsModel(t.world, new SeededRandom(5));
      for (let s = 0; s < 60; s++) clients.step(s * 1000);
      t.world.healthChecks.get("us-east-1")!.healthy = false; // DNS now answers us-west-2
      for (let s = 60; s < 60 + 61 + 60; s++) clients.step(s * 1000);
      const cached = (clients as unknown as { clientsIn: Int32Array }).clientsIn;
      return cached[0]!;
    };
    expect(await onOldAfter("name: t\nduration: 1h\n")).toBe(0);
    const stuck = await onOldAfter('name: t\nduration: 1h\nworld: { clients: { dnsCacheOverrun: { share: "10%", extra: 5m } } }\n');
    // 10 % keep their answer 5 min longer; about half of those have not refreshed 3 min after the flip.
    expect(stuck).toBeGreaterThan(0.02 * 200);
    expect(stuck).toBeLessThan(0.1 * 200);
  });
});

describe("DynamoDB global tables in eventual mode (V2globaltables_HowItWorks.html)", () => {
  it("writes a region acknowledged and never replicated are the data-loss window of the region that takes over; a replication-lag fault widens it", async () => {
    const lossAt = async (extra: string) => {
      const t = testWorld(`name: t\nduration: 1h\nfaults: [{ at: 100s, kind: region-outage, region: us-east-1, services: [dynamodb] }${extra}]\n`);
      for (let s = 1; s <= 120; s++) {
        await t.runTo(s * 1000);
        if (s < 100) t.world.noteWrites("us-east-1", 10);
        if (s > 110) t.world.noteWrites("us-west-2", 10);
      }
      return Math.max(0, ...t.world.dynamo.losses.map((l) => l.toMs - l.fromMs));
    };
    const normal = await lossAt("");
    expect(normal).toBeGreaterThan(0);
    expect(normal).toBeLessThan(3_000);
    expect(await lossAt(", { at: 0s, kind: replication-lag, service: dynamodb, lag: 30s }")).toBeGreaterThan(29_000);
  });
});

describe("timeouts (sdk-retry-behavior: a timed-out request may or may not have been processed)", () => {
  it("an injected timeout on a reachable endpoint sometimes landed: the world applied it and the caller saw only the timeout", async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 0s, kind: api-errors, service: dynamodb, error: timeout, rate: 1 }]\n");
    await t.runTo(0);
    const db = t.adapters.region(t.config.coordination.region).dynamodb;
    const table = t.config.coordination.table;
    let timedOut = 0;
    for (let i = 0; i < 20; i++) {
      await t.call(db.putItem({ tableName: table, item: { pk: { S: "landed" }, sk: { S: String(i) } } })).catch((e: unknown) => {
        if (/timed out/.test(String(e))) timedOut++;
      });
    }
    expect(timedOut).toBe(20);
    const kept = t.world.control.partition("landed").length;
    // Some landed, some did not: a caller can assume neither.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20);
  });

  it("a request to an unreachable endpoint (its region down) never lands", async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 0s, kind: region-outage, region: us-east-2, services: [dynamodb] }]\n");
    await t.runTo(0);
    expect(t.config.coordination.region).toBe("us-east-2");
    const db = t.adapters.region("us-east-2").dynamodb;
    const table = t.config.coordination.table;
    for (let i = 0; i < 10; i++) await t.call(db.putItem({ tableName: table, item: { pk: { S: "lost" }, sk: { S: String(i) } } })).catch(() => undefined);
    expect(t.world.control.partition("lost")).toEqual([]);
  });
});
