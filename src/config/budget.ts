// The RTO budget: the worst-case time from a failure to recovery that this
// config can promise, term by term, so an operator sees *which* setting
// makes the plan impossible before the worst day, not during it.

import { formatDurationMs } from "../core/index.js";
import type { Config } from "./schema.js";

export interface BudgetTerm {
  name: "detection" | "decision" | "promotion" | "traffic-flip" | "dns-ttl";
  ms: number;
  /** One line: how `ms` follows from the config's settings. */
  formula: string;
}

export interface Budget {
  terms: BudgetTerm[];
  totalMs: number;
  rtoMs: number;
  marginMs: number;
  /** total + margin <= rto */
  fits: boolean;
  largestTerm: BudgetTerm;
  /** Problems that make the plan unsafe even when the time fits (exit 1). */
  problems: string[];
}

/** Probe kinds whose rounds can mark a region DOWN (and UP again); the lag probes cannot. */
export const DOWN_CAPABLE: ReadonlySet<string> = new Set(["http", "cloudwatch-alarm", "route53-health-check"]);

/**
 * The worst case from failure to recovery, term by term, and whether it fits
 * policy.rto with policy.margin to spare. A term is Infinity when the config
 * can never complete it (no probe can detect a region down); JSON shows null.
 */
export function computeBudget(config: Config): Budget {
  const { health, policy, traffic, aurora, controller } = config;
  const problems: string[] = [];

  // Detection: the slowest probe that can mark a region DOWN needs
  // failureThreshold failed rounds, the last of which may run to its timeout.
  const detectors = config.probes.filter((p) => DOWN_CAPABLE.has(p.kind));
  let detection: BudgetTerm;
  if (detectors.length === 0) {
    problems.push("no probe can mark a region down (add an http, cloudwatch-alarm or route53-health-check probe)");
    detection = { name: "detection", ms: Number.POSITIVE_INFINITY, formula: "no down-capable probe" };
  } else {
    // An HTTP failure is confirmed by 3 tries in its round, each up to the timeout.
    const tries = (kind: string) => (kind === "http" ? 3 : 1);
    const worst = detectors
      .map((p) => ({ p, ms: p.interval * health.failureThreshold + tries(p.kind) * p.timeout }))
      .reduce((a, b) => (b.ms > a.ms ? b : a));
    detection = {
      name: "detection",
      ms: worst.ms,
      formula: `${worst.p.kind} probe interval ${formatDurationMs(worst.p.interval)} x failureThreshold ${health.failureThreshold} + ${tries(worst.p.kind)} x timeout ${formatDurationMs(worst.p.timeout)}`,
    };
  }

  const decision: BudgetTerm = {
    name: "decision",
    ms: policy.decisionTime + controller.interval,
    formula: `policy.decisionTime ${formatDurationMs(policy.decisionTime)} + one control cycle ${formatDurationMs(controller.interval)} to win the lease`,
  };
  const promotion: BudgetTerm = {
    name: "promotion",
    ms: aurora.failoverEstimate,
    formula: `aurora.failoverEstimate ${formatDurationMs(aurora.failoverEstimate)} (FailoverGlobalCluster, AllowDataLoss)`,
  };
  const flip = trafficFlipTerm(traffic);
  const ttl: BudgetTerm = { name: "dns-ttl", ms: traffic.ttl, formula: `record TTL ${formatDurationMs(traffic.ttl)}: clients keep the old answer this long` };

  const terms = [detection, decision, promotion, flip, ttl];
  const totalMs = terms.reduce((sum, t) => sum + t.ms, 0);
  const largestTerm = terms.reduce((a, b) => (b.ms > a.ms ? b : a));
  const fits = totalMs + policy.margin <= policy.rto;

  // An infinite term was already explained above; a second message would only say "Infinity".
  if (!fits && Number.isFinite(totalMs)) {
    const alone = terms.find((t) => t.ms > policy.rto);
    problems.push(
      alone
        ? `${alone.name} ${formatDurationMs(alone.ms)} alone exceeds the RTO ${formatDurationMs(policy.rto)} (${alone.formula})`
        : `the worst case ${formatDurationMs(totalMs)} + margin ${formatDurationMs(policy.margin)} exceeds the RTO ${formatDurationMs(policy.rto)}; the largest term is ${largestTerm.name} ${formatDurationMs(largestTerm.ms)}`,
    );
  }
  // Every Route 53 API call runs in us-east-1 (reference/aws-apis.md). With records the traffic
  // move is such a call, so the loss of us-east-1 as an app region is the one failure this plan
  // cannot recover from: clients stay there until it is back, and if it comes back cut off from
  // the promoted target, Aurora cannot fence it (docs/failure-modes.md).
  if (traffic.strategy === "records" && config.regions.includes(ROUTE53_CONTROL_REGION)) {
    problems.push(
      `traffic.strategy records moves clients with Route 53 record changes, and Route 53's control plane runs in ${ROUTE53_CONTROL_REGION}, one of regions: losing ${ROUTE53_CONTROL_REGION} leaves clients there until it returns, whatever the RTO. Use health-check or routing-control (they move traffic through data planes), or keep ${ROUTE53_CONTROL_REGION} out of regions`,
    );
  }
  // Data loss is decided from lag read at decision time: without a lag probe
  // an automatic controller would promote blind.
  const kinds = new Set(config.probes.map((p) => p.kind));
  if (policy.mode === "automatic" && !kinds.has("aurora")) {
    problems.push("automatic mode needs an aurora probe: the replication lag read at decision time is the data-loss estimate");
  }
  if (policy.mode === "automatic" && config.dynamodb.tables.length > 0 && !kinds.has("dynamodb")) {
    problems.push("automatic mode with dynamodb.tables needs a dynamodb probe to read ReplicationLatency before acting");
  }
  return { terms, totalMs, rtoMs: policy.rto, marginMs: policy.margin, fits, largestTerm, problems };
}

/**
 * ARC keeps at least three of a cluster's five endpoints reachable
 * (routing-control.update.api.html), so a flip tried in turn meets at most
 * two dead ones, each costing one request timeout (the client factory's
 * default, 10 s) before the next is tried.
 */
export const ARC_DEAD_ENDPOINTS_WORST = 2;
export const ARC_ENDPOINT_TIMEOUT_MS = 10_000;

/** Where Route 53's control plane runs: every API call, record changes included. */
export const ROUTE53_CONTROL_REGION = "us-east-1";

/** The traffic-flip term of a strategy: from "flip requested" to "Route 53 answers the target". */
export function trafficFlipTerm(traffic: Config["traffic"]): BudgetTerm {
  switch (traffic.strategy) {
    case "health-check":
      return {
        name: "traffic-flip",
        ms: traffic.killSwitch.alarmDelay + traffic.healthCheckInterval * traffic.healthCheckFailureThreshold,
        formula: `kill-switch alarm delay ${formatDurationMs(traffic.killSwitch.alarmDelay)} + health check interval ${formatDurationMs(traffic.healthCheckInterval)} x threshold ${traffic.healthCheckFailureThreshold}`,
      };
    case "routing-control": {
      const dead = Math.min(ARC_DEAD_ENDPOINTS_WORST, traffic.clusterEndpoints.length - 1);
      return {
        name: "traffic-flip",
        ms: dead * ARC_ENDPOINT_TIMEOUT_MS + traffic.healthCheckDelay,
        formula: `${dead} unreachable ARC endpoint(s) x ${formatDurationMs(ARC_ENDPOINT_TIMEOUT_MS)} request timeout + routing control health check delay ${formatDurationMs(traffic.healthCheckDelay)}`,
      };
    }
    case "records":
      return {
        name: "traffic-flip",
        ms: traffic.propagation,
        formula: `Route 53 change propagation ${formatDurationMs(traffic.propagation)} (PENDING -> INSYNC)`,
      };
  }
}

/** The budget as an aligned text table: term, duration, how it is computed. */
export function formatBudgetTable(budget: Budget): string {
  const human = (ms: number) => (Number.isFinite(ms) ? formatDurationMs(ms) : "never");
  const rows: [string, string, string][] = budget.terms.map((t) => [t.name, human(t.ms), t.formula]);
  rows.push(["total", human(budget.totalMs), "worst case, failure to recovery"]);
  rows.push(["margin", formatDurationMs(budget.marginMs), "policy.margin"]);
  rows.push(["rto", formatDurationMs(budget.rtoMs), budget.fits ? "fits" : "DOES NOT FIT"]);
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  const line = (r: [string, string, string]) => `${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`;
  return [line(["term", "time", "how it is computed"]), ...rows.map(line)].join("\n");
}
