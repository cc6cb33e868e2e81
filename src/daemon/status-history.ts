// The last hour of health and replication lag, for the status page's
// timelines: one sample per control cycle, kept in memory and bounded (an
// hour at the cycle interval, never more than MAX_SAMPLES), measured on the
// controllers' clock (virtual in the sandbox), so a daemon that restarts
// simply starts a new hour.

import type { ControllerStatus } from "../controller/index.js";
import type { HealthState, HealthView, Region } from "../core/index.js";

export interface HistorySample {
  atMs: number;
  /** Each app region's health as most fresh observers see it (UNKNOWN when no view is fresh). */
  health: Record<Region, HealthState>;
  auroraLagMs: Record<Region, number>;
  dynamodbLagMs: Record<Region, number>;
}

export interface HistoryOptions {
  /** One sample per this much controller time (the control cycle interval). */
  spacingMs: number;
  /** A view older than this does not count (policy maxViewAge). */
  maxViewAgeMs: number;
  /** How far back samples are kept. */
  windowMs?: number;
}

export const HISTORY_WINDOW_MS = 3_600_000;
const MAX_SAMPLES = 3_600;
// A tie between two states is resolved toward the worse one: the page must not hide a DOWN.
const SEVERITY: Record<HealthState, number> = { UNKNOWN: 0, UP: 1, DEGRADED: 2, DOWN: 3 };

/** The state most fresh observers report for `region`; ties go to the worse state. */
export function consensusState(views: readonly HealthView[], region: Region, nowMs: number, maxViewAgeMs: number): HealthState {
  const counts = new Map<HealthState, number>();
  for (const v of views) {
    const h = v.regions[region];
    if (!h || nowMs - v.atMs > maxViewAgeMs) continue;
    counts.set(h.state, (counts.get(h.state) ?? 0) + 1);
  }
  let best: HealthState = "UNKNOWN";
  let bestCount = 0;
  for (const [state, n] of counts) {
    if (n > bestCount || (n === bestCount && SEVERITY[state] > SEVERITY[best])) [best, bestCount] = [state, n];
  }
  return best;
}

const roundedMs = (lag: Record<Region, number> | undefined): Record<Region, number> =>
  Object.fromEntries(Object.entries(lag ?? {}).map(([r, ms]) => [r, Math.round(ms)]));

/** The controller's clock; a controller that never reported one counts from its last cycle. */
export const statusNowMs = (s: ControllerStatus): number | undefined => s.nowMs ?? s.lastCycle?.atMs;

export class StatusHistory {
  private readonly samples: HistorySample[] = [];
  private readonly windowMs: number;
  private readonly maxSamples: number;

  constructor(private readonly opts: HistoryOptions) {
    if (!(opts.spacingMs > 0)) throw new RangeError(`StatusHistory: spacingMs must be positive, got ${opts.spacingMs}`);
    this.windowMs = opts.windowMs ?? HISTORY_WINDOW_MS;
    this.maxSamples = Math.min(MAX_SAMPLES, Math.ceil(this.windowMs / opts.spacingMs) + 1);
  }

  /**
   * Records a sample when the controllers' clock has moved a cycle past the
   * last one; cheap to call more often (the daemon calls it on a timer and
   * after every cycle).
   */
  observe(statuses: readonly ControllerStatus[]): boolean {
    const clocks = statuses.map(statusNowMs).filter((t): t is number => t !== undefined);
    if (clocks.length === 0) return false;
    const nowMs = Math.max(...clocks);
    const last = this.samples.at(-1);
    if (last && nowMs - last.atMs < this.opts.spacingMs && nowMs >= last.atMs) return false;
    // A clock that went backwards (a restarted sandbox) starts a new history.
    if (last && nowMs < last.atMs) this.samples.length = 0;
    // Every observer's latest view, from whichever controller read it last.
    const views = new Map<Region, HealthView>();
    for (const s of statuses) for (const v of s.views) if ((views.get(v.observer)?.atMs ?? -Infinity) < v.atMs) views.set(v.observer, v);
    const regions = new Set<Region>();
    for (const v of views.values()) for (const r of Object.keys(v.regions)) regions.add(r);
    const freshest = statuses.reduce<ControllerStatus | undefined>((a, b) => ((statusNowMs(b) ?? -1) > (a ? (statusNowMs(a) ?? -1) : -Infinity) ? b : a), undefined);
    const all = [...views.values()];
    this.samples.push({
      atMs: nowMs,
      health: Object.fromEntries([...regions].sort().map((r) => [r, consensusState(all, r, nowMs, this.opts.maxViewAgeMs)])),
      // Whole milliseconds: finer is noise for a chart, and an hour of samples stays small.
      auroraLagMs: roundedMs(freshest?.lag?.auroraLagMs),
      dynamodbLagMs: roundedMs(freshest?.lag?.dynamodbLagMs),
    });
    while (this.samples.length > this.maxSamples || (this.samples[0] && nowMs - this.samples[0].atMs > this.windowMs)) this.samples.shift();
    return true;
  }

  /** A copy, oldest first. */
  list(): HistorySample[] {
    return this.samples.map((s) => structuredClone(s));
  }

  get size(): number {
    return this.samples.length;
  }
}
