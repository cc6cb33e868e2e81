// The measurements of specs/gameday.md, taken from what the simulated
// clients see, never from what a controller believes.
//   - RTO: an incident opens the first moment any client's writes fail
//     (through its cached DNS answer) and closes when every client
//     succeeds again; the worst incident is reported (an incident still
//     open at the end counts up to the end).
//   - RPO: writes acknowledged by a region that never reached the region
//     promoted in its place: for each unplanned promotion, the old
//     primary's acknowledged writes after the target's applied point, up to
//     when the old primary stopped taking writes. Reported as the time span
//     they cover (the time during which lost writes were acknowledged: the
//     lag at promotion for a plain outage) and as a count.
//   - Split brain: time during which two regions both accept writes (app
//     up, database believing it is the writer and reachable), or Route 53's
//     answer sends clients to a region whose app is up but whose database is
//     not the writer while another region accepts writes. Both parts are
//     also reported on their own (twoWritersMs, misroutedMs).
//   - Failovers: completed changes of the writer region; false when no
//     fault hurt the old writer's app or database in the 15 minutes before
//     the promotion started (a failback the controller decided is not false).
//   - Escalations: "escalation" events from controllers.

import type { Region } from "../core/index.js";
import type { ClientsModel } from "./clients-model.js";
import type { Fault } from "./types.js";
import type { PromotionEvent } from "./world/aurora.js";
import type { World } from "./world/world.js";

interface AckSegment {
  fromMs: number;
  toMs: number;
  /** Clients acknowledged per second (a flow), or a count for a point write. */
  rate: number;
  point: boolean;
}

interface Incident {
  startMs: number;
  endMs?: number;
}

export interface Measured {
  rtoMs: number;
  rpoMs: number;
  failovers: number;
  falseFailovers: number;
  splitBrainMs: number;
  escalations: number;
  activeRegion: Region;
  awsCalls: number;
  /** Additions to the spec's fields. */
  lostWrites: number;
  twoWritersMs: number;
  misroutedMs: number;
  incidents: number;
  unresolvedIncident: boolean;
}

const EPSILON = 1e-9;
const FAULT_LOOKBACK_MS = 15 * 60_000;
const FAILBACK_DECISION_WINDOW_MS = 30 * 60_000;

export class Measure {
  private readonly incidents: Incident[] = [];
  private readonly acks = new Map<Region, AckSegment[]>();
  private readonly current = new Map<Region, { fromMs: number; rate: number }>();
  private splitSinceMs: number | undefined;
  private splitReason = "";
  private twoWritersSinceMs: number | undefined;
  private misroutedSinceMs: number | undefined;
  splitBrainMs = 0;
  twoWritersMs = 0;
  misroutedMs = 0;
  failovers = 0;
  falseFailovers = 0;
  escalations = 0;
  private readonly failbackDecisions: { atMs: number; to: Region }[] = [];

  constructor(
    private readonly world: World,
    private readonly clients: ClientsModel,
    private readonly faults: readonly Fault[],
  ) {
    world.aurora.promotionListeners.push((e) => this.onPromotion(e));
  }

  /** Re-reads the world if anything clients can observe changed (called after each batch of events). */
  update(): void {
    const core = this.world.core;
    if (!core.dirty) return;
    core.dirty = false;
    const now = core.now();
    let failing = 0;
    const rates = new Map<Region, number>();
    for (const [region, count] of this.clients.directed) {
      const share = this.world.failureShare(region);
      failing += count * share;
      if (region !== "" && this.world.acceptsWrites(region)) rates.set(region, (rates.get(region) ?? 0) + count * (1 - share));
    }
    const open = this.incidents.at(-1);
    if (failing > EPSILON && (open === undefined || open.endMs !== undefined)) {
      this.incidents.push({ startMs: now });
      core.log("clients.failing", { failingClients: round(failing), of: this.clients.total });
    } else if (failing <= EPSILON && open !== undefined && open.endMs === undefined) {
      open.endMs = now;
      core.log("clients.recovered", { rtoMs: now - open.startMs });
    }
    for (const region of core.regions) this.setRate(region, rates.get(region) ?? 0, now);

    const writers = core.regions.filter((r) => this.world.acceptsWrites(r));
    const twoWriters = writers.length >= 2;
    const misrouted = this.world.route53.answer.find(
      ([r, share]) =>
        share > 0 && r !== "" && core.appErrorRate(r) < 1 && !this.world.aurora.member(r)?.believesWriter && writers.some((w) => w !== r),
    );
    this.twoWritersSinceMs = this.track(twoWriters, this.twoWritersSinceMs, now, (ms) => (this.twoWritersMs += ms));
    this.misroutedSinceMs = this.track(misrouted !== undefined, this.misroutedSinceMs, now, (ms) => (this.misroutedMs += ms));
    const split = twoWriters || misrouted !== undefined;
    if (split && this.splitSinceMs === undefined) {
      this.splitSinceMs = now;
      this.splitReason = twoWriters
        ? `two regions accept writes (${writers.join(", ")})`
        : `DNS sends clients to ${misrouted![0]}, whose database is not the writer, while ${writers.join(", ")} accepts writes`;
      core.log("split-brain.start", { reason: this.splitReason });
    } else if (!split && this.splitSinceMs !== undefined) {
      this.splitBrainMs += now - this.splitSinceMs;
      core.log("split-brain.end", { durationMs: now - this.splitSinceMs });
      this.splitSinceMs = undefined;
    }
  }

  /** Accumulates the time a condition holds; returns the new "since". */
  private track(holds: boolean, since: number | undefined, now: number, add: (ms: number) => void): number | undefined {
    if (holds) return since ?? now;
    if (since !== undefined) add(now - since);
    return undefined;
  }

  private setRate(region: Region, rate: number, now: number): void {
    const cur = this.current.get(region);
    if (cur && Math.abs(cur.rate - rate) < EPSILON) return;
    if (cur && cur.rate > EPSILON && now > cur.fromMs) this.segments(region).push({ fromMs: cur.fromMs, toMs: now, rate: cur.rate, point: false });
    this.current.set(region, { fromMs: now, rate });
  }

  private segments(region: Region): AckSegment[] {
    let s = this.acks.get(region);
    if (!s) this.acks.set(region, (s = []));
    return s;
  }

  /** `count` writes acknowledged by `region` at `atMs` (tests and tools; clients are a flow). */
  recordWrites(region: Region, atMs: number, count: number): void {
    this.segments(region).push({ fromMs: atMs, toMs: atMs, rate: count, point: true });
  }

  /** A controller's timeline event: escalations are counted, failback decisions remembered. */
  onControllerEvent(event: string, detail: Record<string, unknown>): void {
    if (event === "escalation") this.escalations++;
    if (event === "decision" && detail.action === "failback" && typeof detail.to === "string") {
      this.failbackDecisions.push({ atMs: this.world.core.now(), to: detail.to });
    }
  }

  private onPromotion(e: PromotionEvent): void {
    this.failovers++;
    const core = this.world.core;
    const startRel = e.startMs - core.startMs;
    const failback = this.failbackDecisions.some((d) => d.to === e.to && d.atMs <= e.startMs && e.startMs - d.atMs <= FAILBACK_DECISION_WINDOW_MS);
    const cause = this.faults.find((f) => {
      const hurts =
        (f.kind === "region-outage" && f.region === e.from && (f.services.includes("app") || f.services.includes("aurora"))) ||
        (f.kind === "app-degraded" && f.region === e.from && (f.errorRate > 0 || (f.latencyMs ?? 0) > 0));
      return hurts && f.atMs <= startRel && (f.untilMs === undefined || f.untilMs >= startRel - FAULT_LOOKBACK_MS);
    });
    const isFalse = !failback && cause === undefined;
    if (isFalse) this.falseFailovers++;
    core.log("writer.changed", { from: e.from, to: e.to, mode: e.mode, falseFailover: isFalse, ...(failback && { failback: true }) });
  }

  /**
   * Writes lost to unplanned promotions, up to `endMs`: the count, and the
   * time they cover (point writes cover the span from the applied point to
   * the last of them, as writes once a second would).
   */
  private losses(endMs: number): { lostWrites: number; rpoMs: number } {
    let lostWrites = 0;
    let rpoMs = 0;
    for (const loss of this.world.aurora.losses) {
      const lo = loss.appliedMs;
      const hi = loss.fencedAtMs ?? endMs;
      let coveredMs = 0;
      let lastPointMs: number | undefined;
      for (const s of this.acks.get(loss.from) ?? []) {
        if (s.point) {
          if (s.fromMs > lo && s.fromMs <= hi && s.rate > 0) {
            lostWrites += s.rate;
            lastPointMs = Math.max(lastPointMs ?? s.fromMs, s.fromMs);
          }
          continue;
        }
        const from = Math.max(s.fromMs, lo);
        const to = Math.min(s.toMs, hi);
        if (to > from) {
          lostWrites += (s.rate * (to - from)) / 1000;
          coveredMs += to - from;
        }
      }
      if (lastPointMs !== undefined) coveredMs = Math.max(coveredMs, lastPointMs - lo);
      rpoMs = Math.max(rpoMs, coveredMs);
    }
    return { lostWrites, rpoMs };
  }

  /** Closes everything still open at `endMs` and returns the measurements. */
  finish(): Measured {
    const core = this.world.core;
    this.update();
    const endMs = core.now();
    for (const region of core.regions) this.setRate(region, 0, endMs);
    if (this.splitSinceMs !== undefined) {
      this.splitBrainMs += endMs - this.splitSinceMs;
      this.splitSinceMs = undefined;
    }
    this.twoWritersSinceMs = this.track(false, this.twoWritersSinceMs, endMs, (ms) => (this.twoWritersMs += ms));
    this.misroutedSinceMs = this.track(false, this.misroutedSinceMs, endMs, (ms) => (this.misroutedMs += ms));
    const last = this.incidents.at(-1);
    const unresolved = last !== undefined && last.endMs === undefined;
    const rtoMs = this.incidents.reduce((m, i) => Math.max(m, (i.endMs ?? endMs) - i.startMs), 0);
    const { lostWrites, rpoMs } = this.losses(endMs);
    return {
      rtoMs,
      rpoMs: Math.round(rpoMs),
      failovers: this.failovers,
      falseFailovers: this.falseFailovers,
      splitBrainMs: this.splitBrainMs,
      escalations: this.escalations,
      activeRegion: this.world.aurora.writer().region,
      awsCalls: core.awsCalls,
      lostWrites: Math.round(lostWrites),
      twoWritersMs: this.twoWritersMs,
      misroutedMs: this.misroutedMs,
      incidents: this.incidents.length,
      unresolvedIncident: unresolved,
    };
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
