// Prometheus metrics on a registry of our own (not prom-client's global, so
// tests and several daemons in one process never collide), updated from each
// cycle's result and the controller's status, from controller events
// (failovers and escalations are counted where they happen, once, not once
// per cycle that still sees them), and from a hook on the AWS SDK clients.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { HealthState } from "../core/index.js";
import type { ControllerStatus, CycleResult } from "../controller/index.js";

/** The value failover_region_health takes per state. */
export const HEALTH_VALUE: Readonly<Record<HealthState, number>> = { UP: 1, DEGRADED: 0.5, DOWN: 0, UNKNOWN: -1 };

const label = (v: unknown) => (typeof v === "string" && v !== "" ? v : "unknown");

/** The controller events that end a runbook run, and the outcome label each gives. */
const RUNBOOK_OUTCOME: Readonly<Record<string, string>> = { "failover.completed": "succeeded", escalation: "escalated", "runbook.stopped": "stopped" };

export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly reg = [this.registry];
  readonly regionHealth = new Gauge({ name: "failover_region_health", help: "Health of a target region as an observer sees it (1 up, 0.5 degraded, 0 down, -1 unknown)", labelNames: ["observer", "target"], registers: this.reg });
  readonly activeRegion = new Gauge({ name: "failover_active_region", help: "1 for the region the control record names active, as each controller last read it", labelNames: ["controller", "region"], registers: this.reg });
  readonly decisions = new Counter({ name: "failover_decisions_total", help: "Policy decisions, one per control cycle, by action", labelNames: ["action"], registers: this.reg });
  readonly failovers = new Counter({ name: "failover_failovers_total", help: "Completed runbooks that moved the active region, by mode and target region", labelNames: ["mode", "to"], registers: this.reg });
  readonly escalations = new Counter({ name: "failover_escalations_total", help: "Escalations to a human, by reason", labelNames: ["reason"], registers: this.reg });
  readonly leaseEpoch = new Gauge({ name: "failover_lease_epoch", help: "Fencing epoch of the control record as the controller last saw it", labelNames: ["controller"], registers: this.reg });
  readonly leaseHeld = new Gauge({ name: "failover_lease_held", help: "1 while this controller holds the lease", labelNames: ["controller"], registers: this.reg });
  readonly incidentOpen = new Gauge({ name: "failover_incident_in_progress", help: "1 while this controller runs or waits on an incident's runbook", labelNames: ["controller"], registers: this.reg });
  readonly replicationLag = new Gauge({ name: "failover_replication_lag_ms", help: "Replication lag into a region, milliseconds (the data-loss estimate)", labelNames: ["service", "region"], registers: this.reg });
  readonly awsCallDuration = new Histogram({ name: "failover_aws_call_duration_seconds", help: "AWS call latency, retries included, by IAM action and region", labelNames: ["call", "region"], buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: this.reg });
  readonly awsCallErrors = new Counter({ name: "failover_aws_call_errors_total", help: "AWS calls that failed after the SDK's retries, by IAM action, region and error code", labelNames: ["call", "region", "code"], registers: this.reg });
  readonly cycleDuration = new Histogram({ name: "failover_cycle_duration_seconds", help: "Control cycle duration", buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: this.reg });
  readonly cycleErrors = new Counter({ name: "failover_cycle_soft_errors_total", help: "Soft errors inside control cycles (retried next tick)", registers: this.reg });
  readonly cycleFailures = new Counter({ name: "failover_cycle_failures_total", help: "Control cycles that threw instead of returning a result", registers: this.reg });
  readonly notifications = new Counter({ name: "failover_notifications_total", help: "Notification deliveries by destination (sns, webhook) and outcome (sent, retried, failed, dropped, suppressed)", labelNames: ["destination", "outcome"], registers: this.reg });
  readonly readiness = new Gauge({ name: "failover_readiness", help: "1 when the readiness check passed at its last run, 0 when it failed", labelNames: ["check"], registers: this.reg });
  readonly ticksSkipped = new Counter({ name: "failover_ticks_skipped_total", help: "Scheduled ticks skipped because the previous cycle was still running", registers: this.reg });
  readonly runbookDuration = new Histogram({
    name: "failover_runbook_duration_seconds",
    help: "Runbooks this process started, from start to end on the controller's clock, by runbook and outcome (succeeded, escalated, stopped); a run resumed from another controller is not timed",
    labelNames: ["runbook", "outcome"],
    buckets: [30, 60, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 3600],
    registers: this.reg,
  });
  /** Start of each runbook run this process saw begin, by incident id; removed when it ends. */
  private readonly runbookStartedAtMs = new Map<string, number>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeCycle(result: CycleResult, status: ControllerStatus): void {
    this.decisions.inc({ action: result.decision.action });
    this.cycleDuration.observe(result.durationMs / 1000);
    if (result.errors.length > 0) this.cycleErrors.inc(result.errors.length);
    this.observeStatus(status);
  }

  observeStatus(status: ControllerStatus): void {
    const controller = status.controllerId;
    for (const view of status.views) {
      for (const [target, h] of Object.entries(view.regions)) this.regionHealth.set({ observer: view.observer, target }, HEALTH_VALUE[h.state]);
    }
    if (status.activeRegion) {
      // One series per controller: the old region's goes to 0 rather than lingering at 1.
      for (const view of status.views) for (const region of Object.keys(view.regions)) this.activeRegion.set({ controller, region }, 0);
      this.activeRegion.set({ controller, region: status.activeRegion }, 1);
    }
    this.leaseEpoch.set({ controller }, status.lease.epoch);
    this.leaseHeld.set({ controller }, status.lease.heldByMe ? 1 : 0);
    this.incidentOpen.set({ controller }, status.incident ? 1 : 0);
    for (const [region, ms] of Object.entries(status.lag?.auroraLagMs ?? {})) this.replicationLag.set({ service: "aurora", region }, ms);
    for (const [region, ms] of Object.entries(status.lag?.dynamodbLagMs ?? {})) this.replicationLag.set({ service: "dynamodb", region }, ms);
  }

  /**
   * Controller events: `failover.completed` {mode, to} and `escalation` {reason} feed the counters;
   * `runbook.started` and the end of the same incident (`failover.completed`, `escalation`,
   * `runbook.stopped`) time the runbook. `atMs` is when the event happened on the controller's
   * clock (the simulated one in the sandbox).
   */
  observeEvent(event: string, detail: Record<string, unknown>, atMs: number = Date.now()): void {
    if (event === "failover.completed") this.failovers.inc({ mode: label(detail.mode), to: label(detail.to) });
    if (event === "escalation") this.escalations.inc({ reason: label(detail.reason) });
    const incident = typeof detail.incident === "string" ? detail.incident : undefined;
    if (!incident) return;
    if (event === "runbook.started") {
      this.runbookStartedAtMs.set(incident, atMs);
      return;
    }
    const outcome = RUNBOOK_OUTCOME[event];
    const startedMs = this.runbookStartedAtMs.get(incident);
    if (!outcome || startedMs === undefined) return;
    this.runbookStartedAtMs.delete(incident);
    this.runbookDuration.observe({ runbook: label(detail.runbook), outcome }, Math.max(0, atMs - startedMs) / 1000);
  }

  observeAwsCall(call: string, region: string, durationMs: number, errorCode?: string): void {
    this.awsCallDuration.observe({ call, region }, durationMs / 1000);
    if (errorCode !== undefined) this.awsCallErrors.inc({ call, region, code: label(errorCode) });
  }
}

// The process-wide sink of observeAwsCall(): the daemon points it at its
// metrics, so code that only sees the SDK clients needs no metrics handle.
let awsCallSink: DaemonMetrics | undefined;

/** Where observeAwsCall() records; undefined turns it into a no-op. Returns the previous sink. */
export function setAwsCallMetrics(metrics: DaemonMetrics | undefined): DaemonMetrics | undefined {
  const previous = awsCallSink;
  awsCallSink = metrics;
  return previous;
}

/** Records one AWS call (retries included) in the daemon's metrics; a no-op outside a daemon. */
export function observeAwsCall(call: string, region: string, durationMs: number, errorCode?: string): void {
  awsCallSink?.observeAwsCall(call, region, durationMs, errorCode);
}
