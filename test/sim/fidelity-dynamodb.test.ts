// DynamoDB as the simulator models it; each test names the
// reference/aws-apis.md line it checks. The lease is the production
// coordination code on the production adapter on a real DynamoDB client.
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { Lease } from "../../src/coordination/index.js";
import { SIM_CREDENTIALS, createSimAdapters, simDecorator } from "../../src/sim/middleware.js";
import { resolved, settle, worldFrom } from "./helpers.js";

describe("DynamoDB fidelity (reference/aws-apis.md)", () => {
  it('"Lease on a strongly consistent table: UpdateItem with ConditionExpression ...; losers get ConditionalCheckFailedException. Fence later writes with epoch"', async () => {
    const t = await worldFrom();
    const db = (region: string) => createSimAdapters(t.world, region).region("us-east-2").dynamodb;
    const opts = { tableName: "failover-control", application: "orders", leaseMs: 30_000, maxClockSkewMs: 5_000 };
    const a = new Lease(db("us-east-1"), { ...opts, owner: "us-east-1/i0" });
    const b = new Lease(db("us-west-2"), { ...opts, owner: "us-west-2/i0" });
    const now = () => t.sched.now();
    const first = await resolved(t.sched, a.acquire(now()));
    expect(first).toMatchObject({ held: true, epoch: 1, tookOver: true });
    expect(await resolved(t.sched, b.acquire(now()))).toMatchObject({ held: false, holder: "us-east-1/i0", epoch: 1 });
    // Renewing keeps the epoch; taking over after expiry + skew bumps it, and the old holder is fenced.
    expect(await resolved(t.sched, a.acquire(now(), 1))).toMatchObject({ held: true, epoch: 1, tookOver: false });
    await t.sched.runUntil(now() + 36_000);
    expect(await resolved(t.sched, b.acquire(now()))).toMatchObject({ held: true, epoch: 2, tookOver: true });
    expect(await resolved(t.sched, a.fence(1, now()))).toMatchObject({ status: "lost" });
    expect(await resolved(t.sched, b.fence(2, now()))).toEqual({ status: "done" });
  });

  it("a failed condition is a ConditionalCheckFailedException from the client package, $fault client", async () => {
    const t = await worldFrom();
    const client = new DynamoDBClient({ region: "us-east-2", credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    simDecorator(t.world, "us-east-2")(client, "dynamodb", "us-east-2");
    const put = () => client.send(new PutItemCommand({ TableName: "failover-control", Item: marshall({ pk: "p", sk: "s" }), ConditionExpression: "attribute_not_exists(pk) AND attribute_not_exists(sk)" }));
    await resolved(t.sched, put());
    const out = await settle(t.sched, put());
    expect(out).toMatchObject({ ok: false });
    const err = (out as { error: unknown }).error;
    expect(err).toBeInstanceOf(ConditionalCheckFailedException);
    expect(err).toMatchObject({ name: "ConditionalCheckFailedException", $fault: "client", $metadata: { httpStatusCode: 400 } });
  });

  it('"Eventual mode (MREC): ... conditional writes are evaluated against the local region\'s copy, so they cannot arbitrate between regions"; last writer wins after ReplicationLatency', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { dynamodb: { replicationLatency: { mean: 800ms, jitter: 0ms } } }\n");
    const table = "orders-sessions";
    const put = (region: string, owner: string) =>
      createSimAdapters(t.world, region).region(region).dynamodb.putItem({ tableName: table, item: marshall({ pk: "leader", owner }), conditionExpression: "attribute_not_exists(pk)" });
    // Both regions write within the replication latency: both conditions pass locally.
    const both = await resolved(t.sched, Promise.allSettled([put("us-east-1", "east"), put("us-west-2", "west")]));
    expect(both.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
    await t.sched.runUntil(t.sched.now() + 5_000);
    const read = async (region: string) =>
      unmarshall((await resolved(t.sched, createSimAdapters(t.world, region).region(region).dynamodb.getItem({ tableName: table, key: marshall({ pk: "leader" }), consistentRead: true })))!);
    const converged = [await read("us-east-1"), await read("us-west-2")];
    expect(converged[0]).toEqual(converged[1]);
    // A single-region table refuses the second writer.
    const control = (region: string) =>
      createSimAdapters(t.world, region).region("us-east-2").dynamodb.putItem({ tableName: "failover-control", item: marshall({ pk: "x", sk: "y" }), conditionExpression: "attribute_not_exists(pk)" });
    const outcomes = await resolved(t.sched, Promise.allSettled([control("us-east-1"), control("us-west-2")]));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  it('"DescribeTable -> Table.Replicas[] {RegionName, ReplicaStatus} ..., MultiRegionConsistency"', async () => {
    const t = await worldFrom();
    const d = await resolved(t.sched, createSimAdapters(t.world, "us-west-2").region("us-west-2").dynamodb.describeTable("orders-sessions"));
    expect(d).toEqual({ name: "orders-sessions", status: "ACTIVE", replicas: [{ region: "us-east-1", status: "ACTIVE" }, { region: "us-west-2", status: "ACTIVE" }], consistency: "EVENTUAL" });
    const missing = await settle(t.sched, createSimAdapters(t.world, "us-west-2").region("us-west-2").dynamodb.describeTable("failover-control"));
    expect(missing).toMatchObject({ ok: false, error: { code: "ResourceNotFoundException" } });
  });

  it('"Metric AWS/DynamoDB ReplicationLatency ..., one series per source->destination pair, published in the source region"', async () => {
    const t = await worldFrom("name: t\nduration: 2h\nworld: { dynamodb: { replicationLatency: { mean: 800ms, jitter: 0ms } } }\n");
    await t.sched.runUntil(t.world.core.startMs + 120_000);
    const now = t.sched.now();
    const q = { id: "r", namespace: "AWS/DynamoDB", metricName: "ReplicationLatency", dimensions: { TableName: "orders-sessions", ReceivingRegion: "us-west-2" }, periodSeconds: 60, stat: "Maximum" as const };
    const get = (region: string) => resolved(t.sched, createSimAdapters(t.world, "us-east-2").region(region).cloudwatch.getMetricData({ queries: [q], startMs: now - 120_000, endMs: now }));
    expect((await get("us-east-1"))[0]?.values[0]).toBe(800);
    expect((await get("us-west-2"))[0]?.values).toEqual([]);
  });
});
