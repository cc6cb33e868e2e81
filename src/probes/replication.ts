// Replication probes: Aurora (topology + lag) and DynamoDB (ReplicationLatency).
// The lag read here at decision time is the data-loss estimate. Member
// status "unavailable" is the only way an Aurora probe votes on health.

import type { Observation, Region } from "../core/index.js";
import type { MetricQuery } from "../aws/index.js";
import { TIMED_OUT, errorDetail, withTimeout, type AuroraTopology, type ProbeContext, type ProbeSpec } from "./types.js";

const clusterName = (arn: string) => arn.split(":").at(-1) ?? arn;
const LOOKBACK_MS = 5 * 60_000;

export async function probeAurora(
  spec: Extract<ProbeSpec, { kind: "aurora" }>,
  ctx: ProbeContext,
): Promise<{ observations: Observation[]; lagMs: Record<Region, number>; topology: AuroraTopology }> {
  const observations: Observation[] = [];
  const lagMs: Record<Region, number> = {};
  const topology: AuroraTopology = { failoverInProgress: false, answering: [] };
  const obs = (target: Region, ok: boolean, extra: Partial<Observation> = {}): Observation => ({
    probe: spec.name, kind: "aurora", observer: ctx.observer, target, atMs: ctx.clock.now(), ok, ...extra,
  });

  // Describe the global cluster from each app region: a region whose RDS API
  // does not answer cannot promote or be switched over from.
  const described = await Promise.all(
    ctx.targets.map(async (region) => {
      try {
        const r = await withTimeout(ctx.clock, spec.timeoutMs, ctx.adapters.region(region).aurora.describeGlobalCluster(ctx.aurora.globalClusterId));
        return r === TIMED_OUT ? { region, error: `rds:DescribeGlobalClusters in ${region} timed out` } : { region, state: r };
      } catch (err) {
        return { region, error: errorDetail(err) };
      }
    }),
  );
  const latest = described.find((d) => d.state)?.state;
  for (const d of described) {
    if (d.state) topology.answering.push(d.region);
    else observations.push(obs(d.region, false, { detail: d.error }));
  }
  if (latest) {
    // Each answering region's writer. A region naming another region the writer has nothing
    // to gain from stale metadata; one naming itself may be an old primary Aurora could not
    // fence, still describing the world from before the promotion it never heard of. So the
    // writer is the first one some other region confirms, else the first answer's; the
    // controller decides whether an unconfirmed self-claim is to be trusted (writerClaims).
    const answers = described.flatMap((d) => (d.state ? [{ by: d.region, named: d.state.members.find((m) => m.isWriter)?.region }] : []));
    const writers = answers.map((a) => a.named);
    const claims: Record<Region, Region> = {};
    for (const { by, named } of answers) if (named !== undefined) claims[by] = named;
    const confirmed = Object.entries(claims).find(([by, named]) => by !== named)?.[1];
    topology.writerRegion = confirmed ?? writers[0];
    topology.writerConfirmed = confirmed !== undefined;
    topology.writerClaims = claims;
    topology.writerAgreed = writers.length >= 2 && writers.every((w) => w !== undefined && w === writers[0]);
    topology.failoverInProgress = latest.failoverState !== undefined;
    // Only a promotion under way: "pending" may still be refused, "cancelling" is rolling back.
    const toArn = described.map((d) => d.state?.failoverState).find((f) => f?.toClusterArn !== undefined && (f.status === "failing-over" || f.status === "switching-over"))?.toClusterArn;
    const promoting = toArn === undefined ? undefined : ctx.targets.find((r) => ctx.aurora.clusters[r] === toArn);
    if (promoting !== undefined) topology.promotingTo = promoting;
    topology.resyncing = latest.members.filter((m) => m.synchronizationStatus === "pending-resync").map((m) => m.region);
  }

  // Lag of each secondary, read in the secondary's own region.
  const secondaries = ctx.targets.filter((r) => r !== topology.writerRegion && ctx.aurora.clusters[r]);
  const metrics = ctx.aurora.lagMetric === "auto" ? ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"] : [ctx.aurora.lagMetric];
  await Promise.all(
    secondaries.map(async (region) => {
      const nowMs = ctx.clock.now();
      const queries: MetricQuery[] = metrics.map((metricName, i) => ({
        id: `m${i}`, namespace: "AWS/RDS", metricName, dimensions: { DBClusterIdentifier: clusterName(ctx.aurora.clusters[region]!) }, periodSeconds: 60, stat: "Maximum",
      }));
      try {
        const res = await withTimeout(ctx.clock, spec.timeoutMs, ctx.adapters.region(region).cloudwatch.getMetricData({ queries, startMs: nowMs - LOOKBACK_MS, endMs: nowMs }));
        if (res === TIMED_OUT) {
          observations.push(obs(region, false, { detail: `cloudwatch:GetMetricData in ${region} timed out` }));
          return;
        }
        const value = queries.map((q) => res.find((r) => r.id === q.id)?.values[0]).find((v) => v !== undefined);
        if (value !== undefined) {
          lagMs[region] = value;
          observations.push(obs(region, true, { value }));
        }
      } catch (err) {
        // Unknown lag stays unknown (the policy treats it as unbounded); the
        // failed read is an observation that does not vote, so the cycle reports it.
        observations.push(obs(region, false, { detail: errorDetail(err) }));
      }
    }),
  );
  // The writer's own data-loss figure is 0 only for a writer some other region confirms: an
  // old primary's claim about itself is no evidence that it holds the writes (controller/writer-trust.ts).
  if (topology.writerRegion && topology.writerConfirmed) lagMs[topology.writerRegion] = 0;
  return { observations, lagMs, topology };
}

export async function probeDynamoDb(
  spec: Extract<ProbeSpec, { kind: "dynamodb" }>,
  ctx: ProbeContext,
): Promise<{ observations: Observation[]; lagMs: Record<Region, number> }> {
  const lagMs: Record<Region, number> = {};
  const receivers = ctx.targets.filter((r) => r !== ctx.activeRegion);
  if (ctx.dynamodbTables.length === 0 || receivers.length === 0) return { observations: [], lagMs };
  const nowMs = ctx.clock.now();
  const queries: MetricQuery[] = ctx.dynamodbTables.flatMap((table, t) =>
    receivers.map((receiving, r) => ({
      id: `t${t}r${r}`, namespace: "AWS/DynamoDB", metricName: "ReplicationLatency", dimensions: { TableName: table, ReceivingRegion: receiving }, periodSeconds: 60, stat: "Maximum" as const,
    })),
  );
  const failed = (detail: string): Observation => ({ probe: spec.name, kind: "dynamodb", observer: ctx.observer, target: ctx.activeRegion, atMs: ctx.clock.now(), ok: false, detail });
  try {
    // ReplicationLatency is published in the source (active) region.
    const res = await withTimeout(ctx.clock, spec.timeoutMs, ctx.adapters.region(ctx.activeRegion).cloudwatch.getMetricData({ queries, startMs: nowMs - LOOKBACK_MS, endMs: nowMs }));
    if (res === TIMED_OUT) return { observations: [failed(`cloudwatch:GetMetricData in ${ctx.activeRegion} timed out`)], lagMs };
    receivers.forEach((receiving, r) => {
      const values = ctx.dynamodbTables.map((_, t) => res.find((x) => x.id === `t${t}r${r}`)?.values[0]).filter((v): v is number => v !== undefined);
      if (values.length > 0) lagMs[receiving] = Math.max(...values);
    });
  } catch (err) {
    // Unknown: absent from the reading, reported as a non-voting failed observation.
    return { observations: [failed(errorDetail(err))], lagMs };
  }
  const observations = Object.entries(lagMs).map(([target, value]): Observation => ({
    probe: spec.name, kind: "dynamodb", observer: ctx.observer, target, atMs: ctx.clock.now(), ok: true, value,
  }));
  return { observations, lagMs };
}
