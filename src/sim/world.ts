// The simulated AWS world: state and its evolution, one simulated second
// at a time. Commands are answered by services.ts through a middleware on
// real SDK clients; this file holds what those answers read and change.

import { controlKey } from "../coordination/index.js";
import { ControlItems, itemKey } from "./control-items.js";
import type { SimStepFunctions } from "./sfn.js";
import { simArc, type SimArc } from "./arc.js";
import type { Config } from "../config/index.js";
import type { SeededRandom } from "../core/index.js";
import { SimAurora, type Spread } from "./aurora.js";
import { SimDynamo } from "./dynamo.js";
import { WriteLedger } from "./ledger.js";
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
/** The kill-switch alarm's period (standard resolution, as CLOUDWATCH_METRIC health checks require). */
const ALARM_PERIOD_MS = 60_000;

/** A completed change of the Aurora writer, as the world saw it. */
export interface WriterChange {
  atMs: number;
  startedAtMs: number;
  from: string;
  to: string;
  kind: "failover" | "switchover";
}

/** A request failing rate at or above this makes a gray failure a real failure of the region (a failover is justified). */
export const FAILING_ERROR_RATE = 0.3;

/** A duration setting that is a fixed value or a spread. */
export const spreadOf = (v: number | Spread): Spread => (typeof v === "number" ? { mean: v, jitter: 0 } : v);

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
  readonly dynamo: SimDynamo;
  readonly ledger = new WriteLedger();
  /** Completed writer changes, in order (failovers are counted from these, not from controller events). */
  readonly writerChanges: WriterChange[] = [];
  /** Per app region: intervals [startMs, endMs) in which it failed clients or lost its database. */
  readonly failing = new Map<string, [number, number | undefined][]>();
  /** Mutating calls (promotion, record change) by a controller that did not hold the lease. */
  readonly unleased: { atMs: number; caller: string; call: string; holder?: string }[] = [];
  readonly timeline: TimelineEvent[] = [];
  /**
   * Every health probe request of an observer to an app region (`from>to` ->
   * [sentAtMs, ok], in order): the run's own probe schedule and outcomes,
   * which bound how soon any controller with this config could have called
   * a failure (classify.ts rtoFloorMs).
   */
  readonly healthProbes = new Map<string, [number, boolean][]>();
  /** Kill-switch values per region: [atMs, value] in time order. */
  readonly killSwitch = new Map<string, [number, number][]>();
  readonly healthChecks = new Map<string, HealthCheck>();
  /** records strategy: the region the record points at, and changes in flight. */
  recordRegion: string;
  readonly changes = new Map<string, { insyncAtMs: number; region: string }>();
  private changeSeq = 0;
  /** Where the control record (the lease item) is stored in `control`. */
  private readonly leaseKey: string;
  /** The control table (single-region, strongly consistent): key -> item. */
  readonly control = new ControlItems();
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
    const lease = controlKey(config.application);
    this.leaseKey = itemKey(lease.pk, lease.sk);
    const w = scenario.world;
    this.aurora = new SimAurora(
      this.apps,
      {
        lag: w.aurora.replicationLag,
        failover: spreadOf(w.aurora.failoverDuration),
        switchover: spreadOf(w.aurora.switchoverDuration),
        fencing: spreadOf(w.aurora.fencingWindow),
        rebuild: spreadOf(w.aurora.rebuildDuration),
      },
      faults,
      random.fork(),
      (event, detail) => {
        this.event(event, detail);
        if (event === "aurora.promoted") {
          const d = detail as { kind: "failover" | "switchover"; from: string; to: string; startedAtMs: number };
          this.writerChanges.push({ atMs: this.nowMs, startedAtMs: d.startedAtMs, from: d.from, to: d.to, kind: d.kind });
        }
      },
    );
    this.dynamo = new SimDynamo(this.apps, w.dynamodb.replicationLatency, faults, random.fork());
    for (const r of this.apps) this.failing.set(r, []);
    for (const r of this.apps) {
      // The active region was in service (heartbeat seen) before the scenario began.
      this.killSwitch.set(r, r === this.apps[0] ? [[-this.alarmDelayMs(), 1]] : []);
      this.healthChecks.set(r, { healthy: true, streak: 0 });
    }
    this.recordRegion = this.apps[0]!;
  }

  noteHealthProbe(from: string, to: string, sentAtMs: number, ok: boolean): void {
    const key = `${from}>${to}`;
    const probes = this.healthProbes.get(key);
    if (probes) probes.push([sentAtMs, ok]);
    else this.healthProbes.set(key, [[sentAtMs, ok]]);
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
    if (this.faults.regionDown(region, "cloudwatch")) return undefined; // INSUFFICIENT_DATA
    const seenAt = this.nowMs - this.alarmDelayMs();
    const points = this.killSwitch.get(region) ?? [];
    // The alarm's statistic is the Minimum over its 60 s period: one 0 in the period breaches.
    let min: number | undefined;
    let latest: [number, number] | undefined;
    const scan = (p: [number, number]) => {
      if (p[0] > seenAt) return;
      if (p[0] > seenAt - ALARM_PERIOD_MS) min = min === undefined ? p[1] : Math.min(min, p[1]);
      if (!latest || p[0] >= latest[0]) latest = p;
    };
    if (this.killSwitchInOrder) {
      // From the end: the series grows by a heartbeat per cycle, and health checks read it every 10 s.
      for (let i = points.length - 1; i >= 0; i--) {
        const p = points[i]!;
        if (p[0] <= seenAt - ALARM_PERIOD_MS && latest) break;
        scan(p);
      }
    } else {
      for (const p of points) scan(p);
    }
    if (min !== undefined) return min;
    // No datapoint in the period: the last one still counts until missing data breaches.
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
    this.dynamo.step(nowMs);
    for (const r of this.apps) {
      const spans = this.failing.get(r)!;
      const open = spans.at(-1);
      const failing = this.regionFailing(r);
      if (failing && (!open || open[1] !== undefined)) spans.push([nowMs, undefined]);
      else if (!failing && open && open[1] === undefined) open[1] = nowMs;
    }
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
      // The same deep /health the observers probe: app, Aurora and DynamoDB replica.
      const endpointOk = this.appUp(r) && this.aurora.up(r) && this.dynamo.up(r) && this.random.next() >= this.faults.appErrorRate(r);
      // An alarm whose region's CloudWatch is down is INSUFFICIENT_DATA: the check reports
      // what its InsufficientDataHealthStatus says (set explicitly on every check we create).
      const insufficient = this.config.traffic.strategy === "health-check" && this.faults.regionDown(r, "cloudwatch");
      const setting = this.scenario.world.route53.insufficientDataHealthStatus;
      const alarmOk = insufficient ? (setting === "LastKnownStatus" ? hc.healthy : setting === "Healthy") : this.killSwitchSeen(r) === 1;
      const observed = endpointOk && alarmOk;
      hc.streak = observed === hc.healthy ? 0 : hc.streak + 1;
      if (hc.streak >= threshold) {
        hc.healthy = observed;
        hc.streak = 0;
        this.event("route53.healthcheck", { region: r, healthy: observed });
      }
    }
  }

  /**
   * A region accepts a client's write: app up, its Aurora cluster a writer
   * that accepts writes, and its DynamoDB replica up (a request writes both;
   * the app fails it when either fails).
   */
  acceptsWrites(region: string): boolean {
    return this.appUp(region) && this.aurora.acceptsWrites(region) && this.dynamo.up(region);
  }

  /** Client writes `region` acknowledged this second. */
  noteWrites(region: string, count: number): void {
    if (count <= 0) return;
    this.aurora.noteWrite(region, this.nowMs);
    this.dynamo.noteWrite(region, this.nowMs);
    this.ledger.record(region, this.nowMs, count);
  }

  /** The region fails clients or has lost its database (what justifies a failover away from it). */
  regionFailing(region: string): boolean {
    const f = this.faults;
    const slowMs = this.scenario.world.clients.slowRequest;
    return !this.appUp(region) || f.regionDown(region, "aurora") || f.regionDown(region, "dynamodb") || f.appErrorRate(region) >= FAILING_ERROR_RATE || f.appLatencyMs(region) > slowMs;
  }

  /** Whether `region` failed clients at any time in [fromMs, toMs]. */
  failedBetween(region: string, fromMs: number, toMs: number): boolean {
    return (this.failing.get(region) ?? []).some(([a, b]) => a <= toMs && (b === undefined || b >= fromMs));
  }

  /** The control record (the lease item), read by key: the table also holds views, incidents and journals. */
  private controlRecord(): Record<string, AttributeValue> | undefined {
    return this.control.get(this.leaseKey);
  }

  /** The active region the control record names, if any. */
  controlActiveRegion(): string | undefined {
    return this.controlRecord()?.activeRegion?.S;
  }

  /** The control record's lease owner, if any (the world's view of who may act). */
  leaseOwner(): string | undefined {
    return this.controlRecord()?.owner?.S;
  }
}
