// Prometheus metrics on a registry of our own (not prom-client's global),
// updated from each cycle's result and the controller's status.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { HealthState } from "../core/index.js";
import type { ControllerStatus, CycleResult } from "../controller/index.js";

const HEALTH_VALUE: Record<HealthState, number> = { UP: 1, DEGRADED: 0.5, DOWN: 0, UNKNOWN: -1 };

export class DaemonMetrics {
  readonly registry = new Registry();
  readonly regionHealth = new Gauge({ name: "failover_region_health", help: "Health of a target region as an observer sees it (1 up, 0.5 degraded, 0 down, -1 unknown)", labelNames: ["observer", "target"], registers: [this.registry] });
  readonly decisions = new Counter({ name: "failover_decisions_total", help: "Decisions of the policy, by action", labelNames: ["action"], registers: [this.registry] });
  readonly failovers = new Counter({ name: "failover_failovers_total", help: "Completed failovers, by mode and target region", labelNames: ["mode", "to"], registers: [this.registry] });
  readonly escalations = new Counter({ name: "failover_escalations_total", help: "Escalations to a human, by reason", labelNames: ["reason"], registers: [this.registry] });
  readonly leaseEpoch = new Gauge({ name: "failover_lease_epoch", help: "Fencing epoch of the control record as last seen", labelNames: ["controller"], registers: [this.registry] });
  readonly leaseHeld = new Gauge({ name: "failover_lease_held", help: "1 when this controller holds the lease", labelNames: ["controller"], registers: [this.registry] });
  readonly replicationLag = new Gauge({ name: "failover_replication_lag_ms", help: "Replication lag into a region, milliseconds", labelNames: ["service", "region"], registers: [this.registry] });
  readonly awsCallDuration = new Histogram({ name: "failover_aws_call_duration_seconds", help: "AWS call latency", labelNames: ["call", "region"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] });
  readonly awsCallErrors = new Counter({ name: "failover_aws_call_errors_total", help: "AWS call errors by call, region and error code", labelNames: ["call", "region", "code"], registers: [this.registry] });
  readonly cycleDuration = new Histogram({ name: "failover_cycle_duration_seconds", help: "Control cycle duration", buckets: [0.1, 0.5, 1, 2, 5, 10, 30], registers: [this.registry] });
  readonly cycleErrors = new Counter({ name: "failover_cycle_soft_errors_total", help: "Soft errors inside control cycles (retried next tick)", registers: [this.registry] });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeCycle(result: CycleResult, status: ControllerStatus): void {
    this.decisions.inc({ action: result.decision.action });
    this.cycleDuration.observe(result.durationMs / 1000);
    this.cycleErrors.inc(result.errors.length);
    this.observeStatus(status);
  }

  observeStatus(status: ControllerStatus): void {
    for (const view of status.views) {
      for (const [target, h] of Object.entries(view.regions)) this.regionHealth.set({ observer: view.observer, target }, HEALTH_VALUE[h.state]);
    }
    this.leaseEpoch.set({ controller: status.controllerId }, status.lease.epoch);
    this.leaseHeld.set({ controller: status.controllerId }, status.lease.heldByMe ? 1 : 0);
    for (const [region, ms] of Object.entries(status.lag?.auroraLagMs ?? {})) this.replicationLag.set({ service: "aurora", region }, ms);
    for (const [region, ms] of Object.entries(status.lag?.dynamodbLagMs ?? {})) this.replicationLag.set({ service: "dynamodb", region }, ms);
  }

  /** Controller events (failover.completed, escalation) feed the counters. */
  observeEvent(event: string, detail: Record<string, unknown>): void {
    const label = (v: unknown) => (typeof v === "string" ? v : "unknown");
    if (event === "failover.completed") this.failovers.inc({ mode: label(detail.mode), to: label(detail.to) });
    if (event === "escalation") this.escalations.inc({ reason: label(detail.reason) });
  }

  observeAwsCall(call: string, region: string, durationMs: number, errorCode?: string): void {
    this.awsCallDuration.observe({ call, region }, durationMs / 1000);
    if (errorCode) this.awsCallErrors.inc({ call, region, code: errorCode });
  }
}
