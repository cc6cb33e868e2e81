// The simulated AWS world: state and its evolution, one simulated second
// at a time. Commands are answered by services.ts through a middleware on
// real SDK clients; this file holds what those answers read and change.

import type { SimStepFunctions } from "./sfn.js";
import { simArc, type SimArc } from "./arc.js";
import type { Config } from "../config/index.js";
import type { SeededRandom } from "../core/index.js";
import { SimAurora } from "./aurora.js";
import type { FaultBook } from "./faults.js";
import type { Scenario } from "./scenario.js";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export interface TimelineEvent {
  atMs: number;
  event: string;
  detail?: Record<string, unknown>;
}

/** Three missing 60 s datapoints make the alarm breach. */
export const KILL_SWITCH_FRESH_MS = 180_000;

interface HealthCheck {
  healthy: boolean;
  streak: number;
}

export class World {
  nowMs = 0;
  /** AWS calls answered (the verdict's awsCalls). */
  calls = 0;
  /** Step Functions, when attached (it needs the session's clock). */
  sfn?: SimStepFunctions;
  /** The ARC cluster (routing-control worlds only; arc.ts creates it on first use). */
  arc?: SimArc;
  readonly apps: string[];
  readonly aurora: SimAurora;
  readonly timeline: TimelineEvent[] = [];
  /** Kill-switch values per region: [atMs, value] in time order. */
  readonly killSwitch = new Map<string, [number, number][]>();
  readonly healthChecks = new Map<string, HealthCheck>();
  /** records strategy: the region the record points at, and changes in flight. */
  recordRegion: string;
  readonly changes = new Map<string, { insyncAtMs: number; region: string }>();
  private changeSeq = 0;
  /** The control table (single-region, strongly consistent): key -> item. */
  readonly control = new Map<string, Record<string, AttributeValue>>();
  private lastDns?: string;
  /** Every kill-switch series is in time order (true unless nowMs was ever moved back). */
  private killSwitchInOrder = true;
  private nextHealthCheckMs = 0;

  constructor(
    readonly config: Config,
    readonly scenario: Scenario,
    readonly faults: FaultBook,
    readonly random: SeededRandom,
  ) {
    this.apps = config.regions;
    const w = scenario.world;
    this.aurora = new SimAurora(
      this.apps,
      { lagMeanMs: w.aurora.replicationLag.mean, lagJitterMs: w.aurora.replicationLag.jitter, failoverMs: w.aurora.failoverDuration, switchoverMs: w.aurora.switchoverDuration },
      faults,
      random.fork(),
      (event, detail) => this.event(event, detail),
    );
    for (const r of this.apps) {
      // The active region was in service (heartbeat seen) before the scenario began.
      this.killSwitch.set(r, r === this.apps[0] ? [[-this.alarmDelayMs(), 1]] : []);
      this.healthChecks.set(r, { healthy: true, streak: 0 });
    }
    this.recordRegion = this.apps[0]!;
  }

  event(event: string, detail?: Record<string, unknown>): void {
    this.timeline.push({ atMs: this.nowMs, event, ...(detail && { detail }) });
  }

  appUp(region: string): boolean {
    return !this.faults.regionDown(region, "app");
  }

  /**
   * The kill-switch value the region's alarm sees now. The alarm lags the
   * metric by alarmDelay and treats missing data as breaching: a region is
   * in service only while someone keeps publishing 1 for it (the
   * controllers' heartbeat), so a region that comes back from an outage
   * stays out of DNS until the controllers say otherwise.
   */
  killSwitchSeen(region: string): number | undefined {
    if (this.faults.regionDown(region, "cloudwatch")) return undefined; // INSUFFICIENT_DATA -> unhealthy
    const seenAt = this.nowMs - this.alarmDelayMs();
    const points = this.killSwitch.get(region) ?? [];
    let latest: [number, number] | undefined;
    if (this.killSwitchInOrder) {
      // The last point at or before seenAt, found from the end: the series
      // grows by a heartbeat a minute, and health checks read it every 10 s.
      for (let i = points.length - 1; i >= 0 && !latest; i--) if (points[i]![0] <= seenAt) latest = points[i];
    } else {
      for (const point of points) if (point[0] <= seenAt) latest = point;
    }
    return latest && seenAt - latest[0] <= KILL_SWITCH_FRESH_MS ? latest[1] : undefined;
  }

  private alarmDelayMs(): number {
    return this.config.traffic.strategy === "health-check" ? this.config.traffic.killSwitch.alarmDelay : 0;
  }

  putKillSwitch(region: string, value: number): void {
    const points = this.killSwitch.get(region);
    if (!points) return;
    if (points.length > 0 && points.at(-1)![0] > this.nowMs) this.killSwitchInOrder = false;
    points.push([this.nowMs, value]);
  }

  /** What Route 53 answers for the app record right now. */
  dnsAnswer(): string {
    if (this.config.traffic.strategy === "records") return this.recordRegion;
    if (this.config.traffic.strategy === "routing-control") return simArc(this).dnsAnswer(this.nowMs);
    // Failover routing generalised to N regions: the first healthy in order;
    // all unhealthy -> answer as if all were healthy (the primary).
    return this.apps.find((r) => this.healthChecks.get(r)?.healthy) ?? this.apps[0]!;
  }

  startChange(region: string): string {
    const id = `C${String(++this.changeSeq).padStart(6, "0")}`;
    this.changes.set(id, { insyncAtMs: this.nowMs + this.scenario.world.route53.changePropagation, region });
    return id;
  }

  /** One simulated second. */
  step(nowMs: number): void {
    this.nowMs = nowMs;
    this.aurora.step(nowMs);
    for (const [id, c] of this.changes) {
      if (c.insyncAtMs <= nowMs && this.recordRegion !== c.region && c.insyncAtMs > nowMs - 1000) {
        this.recordRegion = c.region;
        this.event("route53.record.changed", { change: id, region: c.region });
      }
    }
    // Under routing-control the records carry RECOVERY_CONTROL checks (arc.ts), not kill-switch ones.
    if (nowMs >= this.nextHealthCheckMs && this.config.traffic.strategy !== "routing-control") {
      this.evaluateHealthChecks();
      this.nextHealthCheckMs = nowMs + this.scenario.world.route53.healthCheckInterval;
    }
    const answer = this.dnsAnswer();
    if (answer !== this.lastDns) {
      if (this.lastDns !== undefined) this.event("dns.answer", { region: answer });
      this.lastDns = answer;
    }
  }

  private evaluateHealthChecks(): void {
    const threshold = this.scenario.world.route53.healthCheckFailureThreshold;
    for (const r of this.apps) {
      const hc = this.healthChecks.get(r)!;
      const endpointOk = this.appUp(r) && this.random.next() >= this.faults.appErrorRate(r);
      const observed = endpointOk && this.killSwitchSeen(r) === 1;
      hc.streak = observed === hc.healthy ? 0 : hc.streak + 1;
      if (hc.streak >= threshold) {
        hc.healthy = observed;
        hc.streak = 0;
        this.event("route53.healthcheck", { region: r, healthy: observed });
      }
    }
  }

  /** A region accepts a client's write: app up, and its database is a writer that accepts writes. */
  acceptsWrites(region: string): boolean {
    return this.appUp(region) && this.aurora.acceptsWrites(region);
  }
}
