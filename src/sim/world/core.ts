// What every part of the simulated world shares: virtual time, the one
// seeded PRNG, the settings, the faults in force, and the timeline. The
// service models (route53.ts, aurora.ts, ...) hold their own state and ask
// this object what the faults say.

import type { Config } from "../../config/index.js";
import type { Region } from "../../core/index.js";
import { SeededRandom } from "../../core/index.js";
import type { Scheduler } from "../scheduler.js";
import type { ApiService, Fault, OutageService, TimelineEvent, WorldSettings } from "../types.js";

export type FaultListener = (fault: Fault, started: boolean) => void;

export class WorldCore {
  readonly random: SeededRandom;
  readonly startMs: number;
  readonly timeline: TimelineEvent[] = [];
  private readonly active: Fault[] = [];
  private readonly faultListeners: FaultListener[] = [];
  private readonly beforeFaultListeners: (() => void)[] = [];
  /** Set when something clients can observe may have changed; the measurements re-read the world. */
  dirty = true;
  awsCalls = 0;

  constructor(
    readonly sched: Scheduler,
    readonly settings: WorldSettings,
    readonly config: Config,
    readonly seed: number,
  ) {
    this.random = new SeededRandom(seed);
    this.startMs = sched.now();
  }

  now(): number {
    return this.sched.now();
  }

  /** Offset of `now` from the scenario start. */
  elapsedMs(): number {
    return this.sched.now() - this.startMs;
  }

  get regions(): Region[] {
    return this.settings.appRegions;
  }

  /** App regions plus the witness. */
  get allRegions(): Region[] {
    const w = this.settings.witness;
    return w === undefined || this.settings.appRegions.includes(w) ? [...this.settings.appRegions] : [...this.settings.appRegions, w];
  }

  log(event: string, detail: Record<string, unknown> = {}): void {
    this.timeline.push({ atMs: this.elapsedMs(), event, detail });
  }

  touch(): void {
    this.dirty = true;
  }

  onFault(listener: FaultListener): void {
    this.faultListeners.push(listener);
  }

  /** Called just before the set of faults changes (replication links settle their progress first). */
  beforeFaultChange(listener: () => void): void {
    this.beforeFaultListeners.push(listener);
  }

  startFault(fault: Fault): void {
    for (const l of this.beforeFaultListeners) l();
    this.active.push(fault);
    this.touch();
    for (const l of this.faultListeners) l(fault, true);
  }

  endFault(fault: Fault): void {
    for (const l of this.beforeFaultListeners) l();
    const i = this.active.indexOf(fault);
    if (i >= 0) this.active.splice(i, 1);
    this.touch();
    for (const l of this.faultListeners) l(fault, false);
  }

  activeFaults(): readonly Fault[] {
    return this.active;
  }

  // ---------- what the faults say, now ----------

  outage(region: Region, service: OutageService): boolean {
    for (const f of this.active) if (f.kind === "region-outage" && f.region === region && f.services.includes(service)) return true;
    return false;
  }

  /** The whole region is dark (a region-outage without a `services` list). */
  regionDark(region: Region): boolean {
    for (const f of this.active) if (f.kind === "region-outage" && f.region === region && f.allServices) return true;
    return false;
  }

  /** Fraction of the app's requests that fail: 1 when the app is down. */
  appErrorRate(region: Region): number {
    if (this.outage(region, "app")) return 1;
    let rate = 0;
    for (const f of this.active) if (f.kind === "app-degraded" && f.region === region) rate = Math.max(rate, f.errorRate);
    return rate;
  }

  appExtraLatencyMs(region: Region): number {
    let ms = 0;
    for (const f of this.active) if (f.kind === "app-degraded" && f.region === region && f.latencyMs !== undefined) ms = Math.max(ms, f.latencyMs);
    return ms;
  }

  probeNoise(region: Region): number {
    let rate = 0;
    for (const f of this.active) if (f.kind === "probe-noise" && f.region === region) rate = Math.max(rate, f.errorRate);
    return rate;
  }

  extraLagMs(service: "aurora" | "dynamodb"): number {
    let ms = 0;
    for (const f of this.active) if (f.kind === "replication-lag" && f.service === service) ms += f.lagMs;
    return ms;
  }

  apiFaults(service: ApiService, region: Region): Extract<Fault, { kind: "api-errors" }>[] {
    const out: Extract<Fault, { kind: "api-errors" }>[] = [];
    for (const f of this.active) if (f.kind === "api-errors" && f.service === service && (f.region === undefined || f.region === region)) out.push(f);
    return out;
  }

  controlPlaneDown(service: "route53"): boolean {
    for (const f of this.active) if (f.kind === "control-plane-outage" && f.service === service) return true;
    return false;
  }

  partitioned(a: Region, b: Region): boolean {
    if (a === b) return false;
    for (const f of this.active) {
      if (f.kind !== "partition") continue;
      const [x, y] = f.between;
      if ((x === a && y === b) || (x === b && y === a)) return true;
    }
    return false;
  }

  /** Promotion time while an aurora-failover-stuck fault is in force. */
  stuckPromotionMs(): number | undefined {
    let ms: number | undefined;
    for (const f of this.active) if (f.kind === "aurora-failover-stuck") ms = Math.max(ms ?? 0, f.durationMs);
    return ms;
  }

  clockSkewMs(region: Region): number {
    let ms = 0;
    for (const f of this.active) if (f.kind === "clock-skew" && f.region === region) ms += f.skewMs;
    return ms;
  }
}

/** Jittered value from the sequential PRNG: mean ± jitter, never negative. */
export function jitter(core: WorldCore, spec: { meanMs: number; jitterMs: number }): number {
  return Math.round(core.random.jittered(spec.meanMs, spec.jitterMs));
}
