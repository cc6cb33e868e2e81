// One test per AWS behaviour the simulated world models; each title names the
// line of ../shared/reference/aws-apis.md it checks.
import { describe, expect, it } from "vitest";
import { AwsCallError } from "../../src/core/index.js";
import { CoordinationStore } from "../../src/coordination/index.js";
import { ClientsModel } from "../../src/sim/clients-model.js";
import { SeededRandom } from "../../src/core/index.js";
import { testWorld } from "./harness.js";

describe("simulated AWS fidelity (reference/aws-apis.md)", () => {
  it('Route 53: "ChangeResourceRecordSets ... returns ChangeInfo{Id, Status: PENDING|INSYNC}. GetChange {Id} -> INSYNC usually within 60 s"', async () => {
    const t = testWorld("name: t\nduration: 2h\nworld: { route53: { changePropagation: 40s } }\n");
    const change = await t.call(
      t.adapters.route53.changeResourceRecordSets({ hostedZoneId: "ZSANDBOX0000001", changes: [{ action: "UPSERT", record: { name: "orders.sandbox.internal", type: "CNAME", ttlSeconds: 60, values: ["us-west-2.lb"] } }] }),
    );
    expect(change.status).toBe("PENDING");
    const startedMs = t.clock.now();
    expect(await t.call(t.adapters.route53.getChange(change.changeId))).toBe("PENDING");
    await t.runTo(startedMs + 40_000);
    expect(await t.call(t.adapters.route53.getChange(change.changeId))).toBe("INSYNC");
  });

  it('Route 53: "Health checks: RequestInterval 10 or 30 s, FailureThreshold 1-10": unhealthy after interval x threshold, not before', async () => {
    const t = testWorld("name: t\nduration: 2h\nworld: { route53: { healthCheckInterval: 10s, healthCheckFailureThreshold: 3 } }\nfaults: [{ at: 60s, kind: region-outage, region: us-east-1, services: [app] }]\n");
    const unhealthyAt: number[] = [];
    for (let s = 0; s <= 200; s++) {
      if (s % 10 === 0) t.world.putKillSwitch("us-east-1", 1); // the controllers' heartbeat
      await t.runTo(s * 1000);
      if (!t.world.healthChecks.get("us-east-1")!.healthy && unhealthyAt.length === 0) unhealthyAt.push(s * 1000);
    }
    // Checks run at 0s, 10s, ...: failures observed at 60s, 70s, 80s -> unhealthy at the third.
    expect(unhealthyAt[0]).toBe(80_000);
  });

  it('Route 53: "Primary unhealthy + secondary healthy -> secondary answers; if all are unhealthy, Route 53 answers as if all were healthy"', async () => {
    const t = testWorld();
    t.world.healthChecks.get("us-east-1")!.healthy = false;
    t.world.healthChecks.get("us-west-2")!.healthy = true;
    expect(t.world.dnsAnswer()).toBe("us-west-2");
    t.world.healthChecks.get("us-west-2")!.healthy = false;
    expect(t.world.dnsAnswer()).toBe("us-east-1");
  });

  it("clients cache the DNS answer for the TTL (staggered): after a flip, some clients still write to the old region until their TTL expires", async () => {
    const t = testWorld("name: t\nduration: 2h\nworld: { dnsTtl: 60s, clientsPerRegion: 500 }\n");
    const clients = new ClientsModel(t.world, new SeededRandom(3));
    const cached = (clients as unknown as { clientsIn: Int32Array }).clientsIn;
    for (let s = 0; s < 60; s++) clients.step(s * 1000);
    t.world.healthChecks.get("us-east-1")!.healthy = false;
    const onOld = (s: number) => {
      clients.step(s * 1000);
      return cached[0]!; // clients whose cached answer is us-east-1
    };
    for (let s = 60; s < 90; s++) onOld(s);
    const halfway = onOld(90);
    expect(halfway).toBeGreaterThan(300);
    expect(halfway).toBeLessThan(700);
    for (let s = 91; s < 119; s++) onOld(s);
    expect(onOld(119)).toBe(0);
  });

  it('Aurora: "SwitchoverGlobalCluster ... planned, RPO 0; Aurora waits for the target to sync ... called in the current primary\'s region": refused while the primary is unreachable, then zero loss', async () => {
    const t = testWorld("name: t\nduration: 2h\nworld: { aurora: { switchoverDuration: 90s, replicationLag: { mean: 2s, jitter: 0ms } } }\nfaults: [{ at: 10s, until: 60s, kind: region-outage, region: us-east-1, services: [aurora] }]\n");
    await t.runTo(20_000);
    const target = t.config.aurora.clusters["us-west-2"]!;
    const primary = t.adapters.region("us-east-1").aurora;
    await expect(t.call(primary.switchoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: target }))).rejects.toMatchObject({ retryable: true });
    expect(t.world.aurora.op).toBeUndefined();
    await t.runTo(61_000);
    await t.call(primary.switchoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: target }));
    const startedMs = t.world.aurora.op!.startedAtMs;
    const during = await t.call(t.adapters.region("us-west-2").aurora.describeGlobalCluster("orders-global"));
    expect(during.failoverState?.status).toBe("switching-over");
    expect(t.world.aurora.op!.doneAtMs - startedMs).toBe(92_000); // 90 s + the 2 s of lag to drain
    expect(t.world.acceptsWrites("us-east-1")).toBe(false); // writes pause while roles swap
    await t.runTo(250_000);
    expect(t.world.aurora.writer).toBe("us-west-2");
    expect(t.world.aurora.losses).toEqual([]);
  });

  it('Aurora: "FailoverGlobalCluster ... AllowDataLoss ... Call it in the target region": loses exactly the writes not yet replicated to the target', async () => {
    const t = testWorld("name: t\nduration: 2h\nworld: { aurora: { replicationLag: { mean: 30s, jitter: 0ms }, failoverDuration: 60s } }\nfaults: [{ at: 100s, kind: region-outage, region: us-east-1 }]\n");
    for (let s = 0; s <= 100; s++) {
      await t.runTo(s * 1000);
      if (t.world.acceptsWrites("us-east-1")) t.world.aurora.lastAcceptedWriteMs["us-east-1"] = s * 1000; // a write every second
    }
    await t.call(t.adapters.region("us-west-2").aurora.failoverGlobalCluster({ globalClusterId: "orders-global", targetClusterArn: t.config.aurora.clusters["us-west-2"]! }));
    await t.runTo(200_000);
    expect(t.world.aurora.writer).toBe("us-west-2");
    // The last write accepted was at 99s; the target had everything up to 99s - 30s lag.
    expect(t.world.aurora.losses).toEqual([{ region: "us-east-1", fromMs: 69_000, toMs: 99_000, atMs: expect.any(Number) }]);
    // The old primary's region is down: it still believes it is the writer until it recovers.
    expect(t.world.aurora.believesWriter.has("us-east-1")).toBe(true);
    expect(t.world.acceptsWrites("us-east-1")).toBe(false);
  });

  it('DynamoDB: "Lease on a strongly consistent table: UpdateItem with ConditionExpression ...; losers get ConditionalCheckFailedException"', async () => {
    const t = testWorld();
    const db = t.adapters.region("us-east-2").dynamodb;
    const store = (owner: string) => new CoordinationStore(db, { tableName: "failover-control", application: "orders", owner, leaseMs: 30_000, maxClockSkewMs: 5_000 });
    const [a, b] = [store("a"), store("b")];
    const results = await t.call(Promise.all([a.lease.acquire(1_000_000), b.lease.acquire(1_000_000)]));
    expect(results.filter((r) => r.held)).toHaveLength(1);
    expect(results.find((r) => r.held)).toMatchObject({ epoch: 1 });
    const winner = results[0].held ? a : b;
    const loser = winner === a ? b : a;
    expect(await t.call(loser.lease.fence(1, 1_000_000))).toEqual({ status: "done" }); // the fence checks the epoch only
    expect(await t.call(loser.lease.release(1))).toMatchObject({ status: "lost" }); // not the owner
    await expect(t.call(db.putItem({ tableName: "failover-control", item: { pk: { S: "control#orders" }, sk: { S: "lease" } }, conditionExpression: "attribute_not_exists(pk)" }))).rejects.toMatchObject({
      code: "ConditionalCheckFailedException", retryable: false,
    });
  });

  it('SDK: "Throttled calls fail with Throttling / Rate exceeded" and "standard retry mode ... treats Throttling ... as retryable": a real SDK exception with $retryable', async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 0s, kind: api-errors, service: rds, error: throttle, rate: 1 }]\n");
    await t.runTo(1_000);
    const err = await t.call(t.adapters.region("us-west-2").aurora.describeGlobalCluster("orders-global")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ call: "rds:DescribeGlobalClusters", region: "us-west-2", code: "Throttling", retryable: true });
    const cause = (err as AwsCallError).cause as { $retryable?: { throttling: boolean }; $fault?: string; constructor: { name: string } };
    expect(cause.$retryable).toEqual({ throttling: true });
    expect(cause.$fault).toBe("client");
    expect(cause.constructor.name).toBe("RDSServiceException");
  });

  it('Route 53: "Every Route 53 API call ... is control plane hosted in us-east-1. DNS answers and health checkers ... keep working when the control plane is down"', async () => {
    const t = testWorld("name: t\nduration: 2h\nfaults: [{ at: 0s, kind: control-plane-outage, service: route53 }, { at: 30s, kind: region-outage, region: us-east-1, services: [app] }]\n");
    await t.runTo(1_000);
    await expect(t.call(t.adapters.route53.getChange("C000001"))).rejects.toMatchObject({ retryable: true });
    t.world.putKillSwitch("us-west-2", 1);
    await t.runTo(150_000);
    expect(t.world.healthChecks.get("us-east-1")!.healthy).toBe(false);
    expect(t.world.dnsAnswer()).toBe("us-west-2");
  });
});
