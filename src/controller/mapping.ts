// Config -> the plain parameters of the pure modules (policy, health,
// probes) and the runbook input. Kept here so policy/ and health/ depend on
// core only, as DESIGN.md requires.

import { DOWN_CAPABLE, forRegion, trafficFlipTerm, type Config } from "../config/index.js";
import type { Region } from "../core/index.js";
import type { HealthParams } from "../health/index.js";
import type { PolicyParams } from "../policy/index.js";
import type { ProbeSpec } from "../probes/index.js";
import type { RunbookInput } from "../runbooks/index.js";

export function healthParams(config: Config): HealthParams {
  return { ...config.health };
}

/** Time from "database promoted" to "clients moved": traffic flip + DNS TTL. */
export function trafficMs(config: Config): number {
  return trafficFlipTerm(config.traffic).ms + config.traffic.ttl;
}

export function policyParams(config: Config): PolicyParams {
  const p = config.policy;
  return {
    rtoMs: p.rto,
    rpoMs: p.rpo,
    mode: p.mode,
    cooldownMs: p.cooldown,
    quorum: p.quorum,
    onRpoBreach: p.onRpoBreach,
    marginMs: p.margin,
    promotionMs: config.aurora.failoverEstimate,
    switchoverMs: config.aurora.switchoverEstimate,
    trafficMs: trafficMs(config),
    maxViewAgeMs: 3 * config.controller.interval,
    answeringHoldMs: answeringHoldMs(config),
    failbackMaxLagMs: 1_000,
    failback: p.failback,
  };
}

/**
 * The health hysteresis's time to call a returning region UP (recoveryThreshold good rounds of its
 * slowest UP/DOWN probe), two rounds and a cycle to spare: how long a region that answers again
 * while still DOWN holds the policy's moves (decide.ts).
 */
function answeringHoldMs(config: Config): number {
  const voting = config.probes.filter((p) => DOWN_CAPABLE.has(p.kind));
  const roundMs = Math.max(config.controller.interval, ...voting.map((p) => p.interval));
  return (config.health.recoveryThreshold + 2) * roundMs + config.controller.interval;
}

export function probeSpecs(config: Config): ProbeSpec[] {
  return config.probes.map((p, i): ProbeSpec => {
    const common = { name: p.name ?? `${p.kind}#${i}`, intervalMs: p.interval, timeoutMs: p.timeout };
    switch (p.kind) {
      case "http":
        return { ...common, kind: "http", url: p.url, expectStatus: p.expectStatus, ...(p.bodyMatch !== undefined && { bodyMatch: p.bodyMatch }), ...(p.maxLatency !== undefined && { maxLatencyMs: p.maxLatency }) };
      case "cloudwatch-alarm":
        return { ...common, kind: "cloudwatch-alarm", alarm: p.alarm };
      case "route53-health-check":
        return { ...common, kind: "route53-health-check", healthChecks: p.healthChecks };
      case "aurora":
        return { ...common, kind: "aurora" };
      case "dynamodb":
        return { ...common, kind: "dynamodb" };
    }
  });
}

const POLL_SECONDS = 15;
/** On top of the TTL before a drained old writer's clients count as gone: resolvers refresh on their own second. */
const CLIENT_DRAIN_MARGIN_SECONDS = 10;
/**
 * How long a kill switch nobody writes any more keeps its last value before
 * missing data breaches the alarm (three one-minute datapoints, as the
 * simulator models it; infra/stacks/kill-switch.ts treats missing data as
 * breaching).
 */
const KILL_SWITCH_MISSING_DATA_SECONDS = 180;

/**
 * How long a drain-first failover waits for clients to leave the old writer
 * (runbooks/input.ts): `drainSeconds` always, `switchLapseSeconds` on top
 * when the old region's kill switch could not be drained.
 */
export function clientDrainWait(config: Config): { settleSeconds: number; ttlSeconds: number; drainSeconds: number; switchLapseSeconds: number } {
  const t = config.traffic;
  const settleSeconds =
    t.strategy === "health-check"
      ? Math.ceil((t.killSwitch.alarmDelay + t.healthCheckInterval * t.healthCheckFailureThreshold) / 1000)
      : t.strategy === "routing-control"
        ? Math.ceil(t.healthCheckDelay / 1000)
        : 0;
  const ttlSeconds = Math.round(t.ttl / 1000);
  return {
    settleSeconds,
    ttlSeconds,
    // The health-check path does not wait for its switches before this wait; routing controls
    // (WaitForRoutingControls) and records (the change's INSYNC poll) already have.
    drainSeconds: (t.strategy === "health-check" ? settleSeconds : 0) + ttlSeconds + CLIENT_DRAIN_MARGIN_SECONDS,
    switchLapseSeconds: t.strategy === "health-check" ? KILL_SWITCH_MISSING_DATA_SECONDS : 0,
  };
}

export function runbookInput(
  config: Config,
  a: {
    incidentId: string; epoch: number; from: Region; to: Region; approvalRequired: boolean;
    /** A switchover's expected wait for the target to catch up (its poll gets this on top of promotionTimeout). */
    expectedLagMs?: number;
    /** Where the runbook reaches the control table (an MRSC replica; default coordination.region). */
    controlRegion?: Region;
    /** failover: move clients off the old writer before promoting (it still answers; see runbooks/input.ts). */
    clientDrainFirst?: boolean;
    /** The target calls itself the writer and the controller does not trust it (runbooks/input.ts targetWriterView). */
    targetClaimUnconfirmed?: boolean;
  },
): RunbookInput {
  // A switchover waits for the target to catch up before it swaps roles: give the poll the lag on top.
  const lagMs = a.expectedLagMs !== undefined && Number.isFinite(a.expectedLagMs) ? a.expectedLagMs : 0;
  const t = config.traffic;
  const ks = t.strategy === "health-check" ? t.killSwitch : { namespace: config.controller.metricsNamespace, metricName: "RegionInService" };
  const { settleSeconds, ttlSeconds, drainSeconds, switchLapseSeconds } = clientDrainWait(config);
  return {
    incidentId: a.incidentId,
    epoch: a.epoch,
    application: config.application,
    globalClusterId: config.aurora.globalCluster,
    fromRegion: a.from,
    fromClusterArn: config.aurora.clusters[a.from] ?? "",
    targetRegion: a.to,
    targetClusterArn: config.aurora.clusters[a.to] ?? "",
    control: { table: config.coordination.table, region: a.controlRegion ?? config.coordination.region, pk: `control#${config.application}`, sk: "lease" },
    traffic: {
      strategy: t.strategy,
      hostedZoneId: t.hostedZoneId,
      record: t.record,
      namespace: ks.namespace,
      metricName: ks.metricName,
      settleSeconds,
      drainSeconds,
      switchLapseSeconds,
      recordType: t.strategy === "records" ? t.recordType : "CNAME",
      ttlSeconds,
      targetValue: t.strategy === "records" ? forRegion(t.target, a.to) : "",
      fromValue: t.strategy === "records" ? forRegion(t.target, a.from) : "",
      targetControlArn: t.strategy === "routing-control" ? (t.routingControls[a.to] ?? "") : "",
      fromControlArn: t.strategy === "routing-control" ? (t.routingControls[a.from] ?? "") : "",
      // Never overridden here: only an operator's manual move adds safety rules (controller.ts).
      safetyRulesToOverride: [],
      ...(t.strategy === "routing-control" && { clusterEndpoints: t.clusterEndpoints.map((e) => ({ region: e.region, endpoint: e.endpoint })) }),
    },
    clientDrain: a.clientDrainFirst === true ? "before-promotion" : "after-promotion",
    ...(a.targetClaimUnconfirmed === true && { targetWriterView: "unconfirmed" as const }),
    dynamodbTables: config.dynamodb.tables,
    limits: { pollSeconds: POLL_SECONDS, maxPolls: Math.max(1, Math.ceil((config.aurora.promotionTimeout + lagMs) / (POLL_SECONDS * 1000))) },
    approval: { required: a.approvalRequired, timeoutSeconds: Math.round(config.policy.approvalTimeout / 1000) },
  };
}
