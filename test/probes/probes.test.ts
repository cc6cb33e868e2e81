import { describe, expect, it } from "vitest";
import type { AwsAdapters, CloudWatchApi, GlobalClusterState, RegionAdapters } from "../../src/aws/index.js";
import { AwsCallError, ManualClock } from "../../src/core/index.js";
import { runProbes, type HttpClient, type ProbeContext, type ProbeSpec } from "../../src/probes/index.js";

const CLUSTERS = { "us-east-1": "arn:aws:rds:us-east-1:1:cluster:a", "us-west-2": "arn:aws:rds:us-west-2:1:cluster:b" };
const GLOBAL: GlobalClusterState = {
  id: "g", status: "available",
  members: [
    { clusterArn: CLUSTERS["us-east-1"], region: "us-east-1", isWriter: true },
    { clusterArn: CLUSTERS["us-west-2"], region: "us-west-2", isWriter: false },
  ],
};

interface Fake {
  calls: string[];
  cloudwatch?: Partial<CloudWatchApi>;
  describe?: (region: string) => Promise<GlobalClusterState>;
}

function ctx(fake: Fake, http: HttpClient, clock = new ManualClock(1_000_000)): ProbeContext {
  const region = (r: string): RegionAdapters =>
    ({
      region: r,
      aurora: { describeGlobalCluster: (_id: string) => (fake.calls.push(`rds:DescribeGlobalClusters@${r}`), fake.describe ? fake.describe(r) : Promise.resolve(GLOBAL)) },
      cloudwatch: {
        describeAlarms: (names: string[]) => (fake.calls.push(`cw:DescribeAlarms@${r}`), fake.cloudwatch?.describeAlarms ? fake.cloudwatch.describeAlarms(names) : Promise.resolve([])),
        getMetricData: (input: Parameters<CloudWatchApi["getMetricData"]>[0]) => (fake.calls.push(`cw:GetMetricData@${r}`), fake.cloudwatch?.getMetricData ? fake.cloudwatch.getMetricData(input) : Promise.resolve([])),
      },
    }) as unknown as RegionAdapters;
  return {
    observer: "us-east-2", targets: ["us-east-1", "us-west-2"], adapters: { region } as unknown as AwsAdapters, http, clock,
    aurora: { globalClusterId: "g", clusters: CLUSTERS, lagMetric: "AuroraGlobalDBRPOLag" }, dynamodbTables: ["t"], activeRegion: "us-east-1",
  };
}

const spec = <K extends ProbeSpec["kind"]>(kind: K, extra: object = {}) => ({ name: `${kind}#0`, kind, intervalMs: 10_000, timeoutMs: 2_000, ...extra }) as Extract<ProbeSpec, { kind: K }>;
const okHttp: HttpClient = { get: () => Promise.resolve({ status: 200, body: "ok", latencyMs: 5 }) };

describe("probes", () => {
  it("turns an HTTP timeout into a failed observation measured on the Clock", async () => {
    const clock = new ManualClock(1_000_000);
    const hanging: HttpClient = { get: (url) => (url.includes("us-east-1") ? new Promise(() => undefined) : okHttp.get(url, { timeoutMs: 1, fromRegion: "x" })) };
    const pending = runProbes([spec("http", { url: "https://{region}.x/health", expectStatus: 200 })], ctx({ calls: [] }, hanging, clock));
    // A failure is confirmed by three tries, each bounded by the timeout.
    await clock.advance(6_000);
    const out = await pending;
    expect(out.observations.map((o) => [o.target, o.ok, o.detail])).toEqual([
      ["us-east-1", false, "timeout after 2000ms"],
      ["us-west-2", true, undefined],
    ]);
    expect(out.observations[0]!.atMs).toBe(1_006_000);
  });

  it("does not count a failure that a retry in the same round contradicts (lossy path, not a dead region)", async () => {
    let calls = 0;
    const flaky: HttpClient = { get: () => (++calls % 2 === 1 ? Promise.reject(new Error("connection reset")) : Promise.resolve({ status: 200, body: "ok", latencyMs: 3 })) };
    const out = await runProbes([spec("http", { url: "https://{region}.x/", expectStatus: 200 })], ctx({ calls: [] }, flaky));
    expect(out.observations.every((o) => o.ok)).toBe(true);
  });

  it("checks status and body match", async () => {
    const http: HttpClient = { get: (url) => Promise.resolve(url.includes("us-west-2") ? { status: 503, body: "", latencyMs: 1 } : { status: 200, body: "nope", latencyMs: 1 }) };
    const out = await runProbes([spec("http", { url: "https://{region}.x/", expectStatus: 200, bodyMatch: "ok" })], ctx({ calls: [] }, http));
    expect(out.observations.map((o) => o.detail)).toEqual(["body does not match", "status 503, expected 200; body does not match"]);
  });

  it("makes one GetMetricData call in us-east-1 for every Route 53 health check", async () => {
    const fake: Fake = {
      calls: [],
      cloudwatch: { getMetricData: ({ queries }) => Promise.resolve(queries.map((q, i) => ({ id: q.id, timestampsMs: [1], values: [i === 0 ? 0 : 1], status: "Complete" }))) },
    };
    const out = await runProbes([spec("route53-health-check", { healthChecks: { "us-east-1": "hc1", "us-west-2": "hc2" } })], ctx(fake, okHttp));
    expect(fake.calls).toEqual(["cw:GetMetricData@us-east-1"]);
    expect(out.observations.map((o) => o.ok)).toEqual([false, true]);
  });

  it("never throws on AWS errors or garbage: an alarm error or a missing alarm is a failed observation", async () => {
    const fake: Fake = {
      calls: [],
      cloudwatch: {
        describeAlarms: (names) =>
          names[0]!.endsWith("us-east-1")
            ? Promise.reject(new AwsCallError({ call: "cloudwatch:DescribeAlarms", region: "us-east-1", retryable: true, cause: new Error("boom") }))
            : Promise.resolve([]),
      },
    };
    const out = await runProbes([spec("cloudwatch-alarm", { alarm: "five-xx-{region}" })], ctx(fake, okHttp));
    expect(out.observations.map((o) => o.detail)).toEqual([
      "cloudwatch:DescribeAlarms in us-east-1 failed: boom",
      "alarm five-xx-us-west-2 not found in us-west-2",
    ]);
  });

  it("assembles the topology and the lag of each secondary read in its own region", async () => {
    const fake: Fake = {
      calls: [],
      cloudwatch: { getMetricData: ({ queries }) => Promise.resolve(queries.map((q) => ({ id: q.id, timestampsMs: [1], values: [q.metricName === "ReplicationLatency" ? 800 : 420], status: "Complete" }))) },
    };
    const out = await runProbes([spec("aurora"), spec("dynamodb")], ctx(fake, okHttp));
    expect(out.topology).toEqual({
      writerRegion: "us-east-1", writerAgreed: true, writerConfirmed: true, writerClaims: { "us-east-1": "us-east-1", "us-west-2": "us-east-1" },
      failoverInProgress: false, answering: ["us-east-1", "us-west-2"], resyncing: [],
    });
    expect(out.auroraLagMs).toEqual({ "us-west-2": 420, "us-east-1": 0 });
    expect(out.dynamodbLagMs).toEqual({ "us-west-2": 800 });
    expect(fake.calls.filter((c) => c.startsWith("cw:")).sort()).toEqual(["cw:GetMetricData@us-east-1", "cw:GetMetricData@us-west-2"]);
  });

  it("reports a region whose RDS API fails as a failed Aurora observation and keeps the rest", async () => {
    const fake: Fake = { calls: [], describe: (r) => (r === "us-east-1" ? Promise.reject(new Error("rds:DescribeGlobalClusters in us-east-1 failed: 5xx")) : Promise.resolve(GLOBAL)) };
    const out = await runProbes([spec("aurora")], ctx(fake, okHttp));
    expect(out.topology?.answering).toEqual(["us-west-2"]);
    expect(out.observations.find((o) => !o.ok)?.target).toBe("us-east-1");
    // One region's word alone is not an agreed writer.
    expect(out.topology?.writerAgreed).toBe(false);
  });

  it("a writer the answering regions disagree on is not agreed (an old writer's own view from behind a partition)", async () => {
    const own = (r: string): GlobalClusterState => ({ ...GLOBAL, members: GLOBAL.members.map((m) => ({ ...m, isWriter: m.region === r })) });
    const fake: Fake = { calls: [], describe: (r) => Promise.resolve(own(r)) };
    const out = await runProbes([spec("aurora")], ctx(fake, okHttp));
    expect(out.topology?.answering).toEqual(["us-east-1", "us-west-2"]);
    expect(out.topology?.writerAgreed).toBe(false);
    // Each names itself: nobody confirms either, and no region's lag reads 0 on its own word.
    expect(out.topology).toMatchObject({ writerConfirmed: false, writerClaims: { "us-east-1": "us-east-1", "us-west-2": "us-west-2" } });
    expect(out.auroraLagMs?.["us-east-1"]).toBeUndefined();
  });

  it("names the region a promotion in flight is promoting (its word counts again once promoted)", async () => {
    const promoting: GlobalClusterState = { ...GLOBAL, failoverState: { status: "failing-over", fromClusterArn: CLUSTERS["us-east-1"], toClusterArn: CLUSTERS["us-west-2"] } };
    const fake: Fake = { calls: [], describe: (r) => (r === "us-west-2" ? Promise.resolve(promoting) : Promise.reject(new Error("down"))) };
    const out = await runProbes([spec("aurora")], ctx(fake, okHttp));
    expect(out.topology?.promotingTo).toBe("us-west-2");
    const idle = await runProbes([spec("aurora")], ctx({ calls: [] }, okHttp));
    expect(idle.topology?.promotingTo).toBeUndefined();
    // "pending" may still be refused and "cancelling" rolls back: no promotion to count on.
    for (const status of ["pending", "cancelling"]) {
      const maybe: GlobalClusterState = { ...promoting, failoverState: { ...promoting.failoverState!, status } };
      const out2 = await runProbes([spec("aurora")], ctx({ calls: [], describe: () => Promise.resolve(maybe) }, okHttp));
      expect(out2.topology?.promotingTo).toBeUndefined();
    }
  });

  it("takes the writer another region confirms over a region's claim about itself", async () => {
    const own = (r: string): GlobalClusterState => ({ ...GLOBAL, members: GLOBAL.members.map((m) => ({ ...m, isWriter: m.region === (r === "us-east-1" ? "us-east-1" : "us-west-2") })) });
    // Neither region names itself: each answer confirms the other region, and the first confirmation (us-east-1's) is taken.
    const fake: Fake = { calls: [], describe: (r) => Promise.resolve(r === "us-east-1" ? own("us-west-2") : own("us-east-1")) };
    const out = await runProbes([spec("aurora")], ctx(fake, okHttp));
    expect(out.topology).toMatchObject({ writerRegion: "us-west-2", writerConfirmed: true });
    expect(out.auroraLagMs?.["us-west-2"]).toBe(0);
  });
});
