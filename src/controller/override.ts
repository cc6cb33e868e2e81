// The operator's override (`failover --to R --force`): what it relaxes, what
// it never relaxes, and what it prints when it cannot run.
//
// Relaxed: only the quorum rule. A forced target must still be seen UP by
// every observer that reports (at least one) and DOWN by none; the lease and
// the fencing epoch still apply; data loss beyond the RPO, or unknown, needs
// an explicit --accept-data-loss. Without the coordination store nothing is
// fenced, so the override refuses and prints the manual steps instead.

import type { Config } from "../config/index.js";
import type { HealthView, LagReading, Region } from "../core/index.js";
import { quorumVerdict, type PolicyParams } from "../policy/index.js";
import { happyPath, type Definition } from "../runbooks/index.js";
import { runbookInput } from "./mapping.js";

export interface FailoverOptions {
  /** Run even though no quorum sees the target UP (the quorum rule alone may be overridden). */
  force?: boolean;
  /** Required with force when the data-loss estimate is unknown or over the RPO. */
  acceptDataLoss?: boolean;
  /** Who asked (kept in the incident). */
  by?: string;
  /** Why (kept in the incident). */
  reason?: string;
  /** Called once the runbook started (the daemon answers its HTTP request then). */
  onStarted?: (incidentId: string) => void;
  /** routing-control only: ARC safety rules the flip may override (an operator's explicit choice). */
  safetyRulesToOverride?: readonly string[];
}

/** Data-loss estimate of promoting `to`: the worst replication lag into it; undefined when unknown. */
export function dataLossEstimateMs(lag: LagReading, to: Region): number | undefined {
  const aurora = lag.auroraLagMs[to];
  if (aurora === undefined) return undefined;
  return Math.max(aurora, lag.dynamodbLagMs[to] ?? 0);
}

/** Why a forced move to `to` is unsafe even without the quorum rule; undefined when it may run. */
export function forcedTargetProblem(views: HealthView[], to: Region, params: PolicyParams, nowMs: number): string | undefined {
  const v = quorumVerdict(views, to, params.quorum, nowMs, params.maxViewAgeMs);
  if (v.voters.length === 0) return `no observer reports on ${to}: nothing says it is healthy`;
  if (v.agreeingUp.length !== v.voters.length) {
    const others = v.voters.filter((o) => !v.agreeingUp.includes(o));
    return `${to} is not seen UP by every observer that reports (UP: ${v.agreeingUp.join(", ") || "none"}; not UP: ${others.join(", ")}): --force overrides the quorum, not a region seen unhealthy`;
  }
  return undefined;
}

/** Refusal text when the estimate needs --accept-data-loss; undefined when it does not. */
export function dataLossProblem(estimateMs: number | undefined, rpoMs: number, accepted: boolean): string | undefined {
  if (accepted) return undefined;
  if (estimateMs === undefined) return "the replication lag into the target is unknown, so the data loss cannot be estimated: add --accept-data-loss to go on";
  if (estimateMs > rpoMs) return `the data-loss estimate ${Math.round(estimateMs)}ms exceeds the RPO ${rpoMs}ms: add --accept-data-loss to go on`;
  return undefined;
}

/**
 * What a person does by hand when the coordination store does not answer:
 * the failover runbook's calls, region by region, in order (what `plan`
 * shows), with the fencing steps flagged as impossible.
 */
export function manualSteps(config: Config, failover: Definition, from: Region, to: Region): string[] {
  const input = runbookInput(config, { incidentId: "manual", epoch: 0, from, to, approvalRequired: false });
  const steps = happyPath(failover, input).filter((s) => s.action && s.mutating);
  const control = `${config.coordination.table} in ${config.coordination.region}`;
  const lines = [
    `stop every failover daemon first (nothing fences a second writer while ${control} does not answer)`,
    ...steps.map((s) => {
      const detail =
        s.action === "rds:FailoverGlobalCluster"
          ? ` (GlobalClusterIdentifier ${config.aurora.globalCluster}, TargetDbClusterIdentifier ${config.aurora.clusters[to] ?? "?"}, AllowDataLoss true)`
          : s.action === "rds:SwitchoverGlobalCluster"
            ? ` (GlobalClusterIdentifier ${config.aurora.globalCluster}, TargetDbClusterIdentifier ${config.aurora.clusters[to] ?? "?"})`
            : s.action === "cloudwatch:PutMetricData" && config.traffic.strategy === "health-check"
              ? ` (Namespace ${config.traffic.killSwitch.namespace}, MetricName ${config.traffic.killSwitch.metricName}, dimension Region=${s.region ?? "?"}, Value ${s.region === from ? 0 : 1})`
              : s.action?.startsWith("dynamodb:") === true
              ? ` (control record: skip, ${control} does not answer; write it once it does)`
              : "";
      return `${s.action ?? s.type} in ${s.region ?? "?"}: ${s.state}${detail}`;
    }),
  ];
  return lines.map((l, i) => `${i + 1}. ${l}`);
}
