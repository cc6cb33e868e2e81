// Simulated clients and what they see. Clients cache the DNS answer for the
// TTL (expiries staggered by a seeded phase) and write once per second to
// the region they resolved. RTO, RPO and split brain are measured here, from
// the clients' point of view (specs/gameday.md), not from the controller's.

import type { SeededRandom } from "../core/index.js";
import type { World } from "./world.js";

interface Bucket {
  count: number;
  region: string;
}

export interface Measured {
  rtoMs: number;
  rpoMs: number;
  splitBrainMs: number;
  incidents: { startMs: number; endMs?: number }[];
  failedWrites: number;
}

export class ClientsModel {
  /** One bucket per second of TTL phase: clients that refresh their cache at that phase. */
  private readonly buckets: Bucket[];
  private readonly incidents: { startMs: number; endMs?: number }[] = [];
  private splitBrainMs = 0;
  private failedWrites = 0;
  /** Clients per region their cached answer points at (the buckets' counts, summed as they refresh). */
  private readonly clientsIn = new Map<string, number>();

  constructor(
    private readonly world: World,
    random: SeededRandom,
  ) {
    const ttlS = Math.max(1, Math.round(world.scenario.world.dnsTtl / 1000));
    const total = world.scenario.world.clientsPerRegion * world.apps.length;
    this.buckets = Array.from({ length: ttlS }, () => ({ count: 0, region: world.dnsAnswer() }));
    for (let i = 0; i < total; i++) this.buckets[random.int(0, ttlS - 1)]!.count++;
    for (const b of this.buckets) this.clientsIn.set(b.region, (this.clientsIn.get(b.region) ?? 0) + b.count);
  }

  /** One simulated second: cache refreshes, then one write per client. */
  step(nowMs: number): void {
    const w = this.world;
    const apps = w.apps;
    const second = Math.floor(nowMs / 1000);
    const refreshing = this.buckets[second % this.buckets.length]!;
    const answer = w.dnsAnswer();
    if (answer !== refreshing.region) {
      this.clientsIn.set(refreshing.region, (this.clientsIn.get(refreshing.region) ?? 0) - refreshing.count);
      this.clientsIn.set(answer, (this.clientsIn.get(answer) ?? 0) + refreshing.count);
      refreshing.region = answer;
    }
    // Per app region, in w.apps order (runs every simulated second, so no per-call maps or sets).
    const accepts = apps.map((r) => w.acceptsWrites(r));
    const errorRate = apps.map((r) => w.faults.appErrorRate(r));
    let failed = 0;
    let writtenTo: string | undefined;
    let writtenToSeveral = false;
    if (errorRate.every((e) => e === 0)) {
      // No gray failure anywhere: every client of a region fails or writes
      // alike, so the per-region sums give what the bucket walk below would.
      for (const [region, count] of this.clientsIn) {
        if (count === 0) continue;
        const i = apps.indexOf(region);
        if (i < 0 || !accepts[i]) failed += count;
        else if (writtenTo === undefined) writtenTo = region;
        else writtenToSeveral = true;
      }
      for (let i = 0; i < apps.length; i++) if (accepts[i] && (this.clientsIn.get(apps[i]!) ?? 0) > 0) w.aurora.lastAcceptedWriteMs[apps[i]!] = nowMs;
    } else {
      for (const b of this.buckets) {
        if (b.count === 0) continue;
        const i = apps.indexOf(b.region);
        if (i < 0 || !accepts[i]) {
          failed += b.count;
          continue;
        }
        const errors = Math.round(b.count * (errorRate[i] ?? 0));
        failed += errors;
        if (errors < b.count) {
          if (writtenTo === undefined) writtenTo = b.region;
          else if (writtenTo !== b.region) writtenToSeveral = true;
          w.aurora.lastAcceptedWriteMs[b.region] = nowMs;
        }
      }
    }
    this.failedWrites += failed;
    const accepting = accepts.filter(Boolean).length;
    if (accepting > 1 || writtenToSeveral) this.splitBrainMs += 1000;
    const open = this.incidents.at(-1);
    if (failed > 0 && (!open || open.endMs !== undefined)) this.incidents.push({ startMs: nowMs });
    if (failed === 0 && open && open.endMs === undefined) open.endMs = nowMs;
  }

  /** RTO and RPO of what happened between two instants (a drill phase): outages that started, writes lost. */
  measuredBetween(fromMs: number, toMs: number): { rtoMs: number; rpoMs: number } {
    const rto = this.incidents.filter((i) => i.startMs >= fromMs && i.startMs < toMs).map((i) => (i.endMs ?? toMs) - i.startMs);
    const rpo = this.world.aurora.losses.filter((l) => l.atMs >= fromMs && l.atMs < toMs).map((l) => Math.round(l.toMs - l.fromMs));
    return { rtoMs: Math.max(0, ...rto), rpoMs: Math.max(0, ...rpo) };
  }

  measured(endMs: number): Measured {
    const rto = this.incidents.map((i) => (i.endMs ?? endMs) - i.startMs);
    const rpo = this.world.aurora.losses.map((l) => Math.round(l.toMs - l.fromMs));
    return { rtoMs: Math.max(0, ...rto), rpoMs: Math.max(0, ...rpo), splitBrainMs: this.splitBrainMs, incidents: this.incidents, failedWrites: this.failedWrites };
  }
}
