// Which faults are active now, asked the way the world needs it.

import { ROUTE53_CONTROL_REGION } from "../config/index.js";
import type { Random } from "../core/index.js";
import type { Fault } from "./scenario.js";

type Service = "app" | "aurora" | "dynamodb" | "cloudwatch" | "controller";
const NONE: readonly Fault[] = [];

export class FaultBook {
  private active: Fault[] = [];
  /**
   * The active faults of each kind, rebuilt when the active set changes: the
   * world asks several times per call and per simulated second, and
   * filtering on every question was a visible share of a sweep.
   */
  private byKind = new Map<Fault["kind"], Fault[]>();
  /** The last update's time, and the first fault start or end after it. */
  private updatedAtMs = Number.POSITIVE_INFINITY;
  private nextChangeMs = Number.NEGATIVE_INFINITY;

  constructor(readonly faults: readonly Fault[]) {}

  /** Updates the active set; returns the faults that started and ended at this time. */
  update(nowMs: number): { started: Fault[]; ended: Fault[] } {
    // The set only changes when time crosses a fault's start or end: between
    // two such instants (time moving forward) there is nothing to recompute.
    if (nowMs >= this.updatedAtMs && nowMs < this.nextChangeMs) {
      this.updatedAtMs = nowMs;
      return { started: [], ended: [] };
    }
    this.updatedAtMs = nowMs;
    this.nextChangeMs = Number.POSITIVE_INFINITY;
    for (const f of this.faults) {
      if (f.at > nowMs) this.nextChangeMs = Math.min(this.nextChangeMs, f.at);
      if (f.until !== undefined && f.until > nowMs) this.nextChangeMs = Math.min(this.nextChangeMs, f.until);
    }
    const next = this.faults.filter((f) => f.at <= nowMs && (f.until === undefined || nowMs < f.until));
    const started = next.filter((f) => !this.active.includes(f));
    const ended = this.active.filter((f) => !next.includes(f));
    this.active = next;
    if (started.length > 0 || ended.length > 0) {
      this.byKind = new Map();
      for (const f of next) {
        const list = this.byKind.get(f.kind);
        if (list) list.push(f);
        else this.byKind.set(f.kind, [f]);
      }
    }
    return { started, ended };
  }

  /** Active faults of one kind, in scenario order (shared: callers only read it). */
  private of<K extends Fault["kind"]>(kind: K): readonly Extract<Fault, { kind: K }>[] {
    return (this.byKind.get(kind) ?? NONE) as readonly Extract<Fault, { kind: K }>[];
  }

  regionDown(region: string, service: Service): boolean {
    return this.of("region-outage").some((f) => f.region === region && (!f.services || f.services.includes(service)));
  }

  /** The Route 53 control plane lives in us-east-1. */
  route53ControlPlaneDown(): boolean {
    return this.of("control-plane-outage").length > 0 || this.regionDown(ROUTE53_CONTROL_REGION, "app");
  }

  // The maxima below are Math.max(0, ...values) without building the arrays
  // (asked every simulated second and on every call).

  appErrorRate(region: string): number {
    let max = 0;
    for (const f of this.of("app-degraded")) if (f.region === region) max = Math.max(max, f.errorRate);
    return max;
  }

  appLatencyMs(region: string): number {
    let max = 0;
    for (const f of this.of("app-degraded")) if (f.region === region) max = Math.max(max, f.latency ?? 0);
    return max;
  }

  probeNoise(region: string): number {
    let max = 0;
    for (const f of this.of("probe-noise")) if (f.region === region) max = Math.max(max, f.errorRate);
    return max;
  }

  extraLagMs(service: "aurora" | "dynamodb"): number {
    let max = 0;
    for (const f of this.of("replication-lag")) if (f.service === service) max = Math.max(max, f.lag);
    return max;
  }

  partitioned(a: string, b: string): boolean {
    return a !== b && this.of("partition").some((f) => (f.between[0] === a && f.between[1] === b) || (f.between[0] === b && f.between[1] === a));
  }

  /** An injected API error for this call, if the dice say so. */
  apiError(service: string, region: string, random: Random): "throttle" | "5xx" | "timeout" | undefined {
    for (const f of this.of("api-errors")) {
      if (f.service === service && (!f.region || f.region === region) && random.next() < f.rate) return f.error;
    }
    return undefined;
  }

  clockSkewMs(region: string): number {
    let sum = 0;
    for (const f of this.of("clock-skew")) if (f.region === region) sum += f.skew;
    return sum;
  }

  stuckPromotionMs(): number | undefined {
    const f = this.of("aurora-failover-stuck")[0];
    return f?.duration;
  }

  /** A real fault affecting `region`'s ability to serve (what makes a failover justified). */
  realOutage(region: string): boolean {
    return this.regionDown(region, "app") || this.regionDown(region, "aurora") || this.appErrorRate(region) > 0;
  }
}
