// Simulated clients and what they see. Each client caches the DNS answer
// for the TTL (expiries staggered by a seeded phase; a configurable share
// keeps it longer, as resolvers and connection pools do) and sends one
// request a second to the region it resolved. A request writes to that
// region's Aurora cluster and DynamoDB replica and succeeds only when both
// accept it; under a gray failure each request fails on its own draw, and a
// request slower than `slowRequest` counts as failed.
//
// RTO, RPO and split brain are measured here and in the world's ledger, from
// the clients' point of view (specs/gameday.md), not from the controller's.

import type { SeededRandom } from "../core/index.js";
import type { LossWindow } from "./aurora.js";
import type { World } from "./world.js";

export interface Measured {
  rtoMs: number;
  rpoMs: number;
  dynamodbRpoMs: number;
  lostWrites: number;
  splitBrainMs: number;
  splitBrainWrites: number;
  incidents: { startMs: number; endMs?: number }[];
  failedWrites: number;
}

interface RefreshClass {
  periodS: number;
  /** Clients by refresh phase (second modulo the period). */
  slots: number[][];
}

export class ClientsModel {
  /** Per client: index into world.apps of the region its cached answer points at. */
  private readonly cached: Int32Array;
  /** Per app region: clients whose cache points there. */
  private readonly clientsIn: Int32Array;
  private readonly classes: RefreshClass[] = [];
  private readonly acked: Int32Array;
  private readonly incidents: { startMs: number; endMs?: number }[] = [];
  private splitBrainMs = 0;
  private splitBrainWrites = 0;
  private failedWrites = 0;

  constructor(
    private readonly world: World,
    private readonly random: SeededRandom,
  ) {
    const w = world.scenario.world;
    const apps = world.apps;
    const ttlS = Math.max(1, Math.round(w.dnsTtl / 1000));
    const overrun = w.clients.dnsCacheOverrun;
    const total = w.clientsPerRegion * apps.length;
    const normal: RefreshClass = { periodS: ttlS, slots: Array.from({ length: ttlS }, () => []) };
    const longS = ttlS + Math.max(0, Math.round(overrun.extra / 1000));
    const long: RefreshClass = { periodS: longS, slots: Array.from({ length: longS }, () => []) };
    this.classes.push(normal, long);
    this.cached = new Int32Array(total);
    this.clientsIn = new Int32Array(apps.length);
    this.acked = new Int32Array(apps.length);
    const first = Math.max(0, apps.indexOf(world.dnsAnswer()));
    for (let i = 0; i < total; i++) {
      const c = overrun.share > 0 && random.next() < overrun.share ? long : normal;
      c.slots[random.int(0, c.periodS - 1)]!.push(i);
      this.cached[i] = first;
    }
    this.clientsIn[first] = total;
  }

  /** One simulated second: cache refreshes, then one request per client. */
  step(nowMs: number): void {
    const w = this.world;
    const apps = w.apps;
    const second = Math.floor(nowMs / 1000);
    const answer = Math.max(0, apps.indexOf(w.dnsAnswer()));
    for (const c of this.classes) {
      for (const i of c.slots[second % c.periodS]!) {
        const was = this.cached[i]!;
        if (was === answer) continue;
        this.clientsIn[was]!--;
        this.clientsIn[answer]!++;
        this.cached[i] = answer;
      }
    }
    const n = apps.length;
    const accepts: boolean[] = [];
    const errorRate: number[] = [];
    const latencyMs: number[] = [];
    let gray = false;
    for (let r = 0; r < n; r++) {
      accepts.push(w.acceptsWrites(apps[r]!));
      errorRate.push(w.faults.appErrorRate(apps[r]!));
      latencyMs.push(w.faults.appLatencyMs(apps[r]!));
      if (errorRate[r]! > 0 || latencyMs[r]! > 0) gray = true;
    }
    this.acked.fill(0);
    let failed = 0;
    if (!gray) {
      // Every client of a region fails or succeeds alike: sum per region.
      for (let r = 0; r < n; r++) {
        const count = this.clientsIn[r]!;
        if (accepts[r]) this.acked[r] = count;
        else failed += count;
      }
    } else {
      const slowMs = w.scenario.world.clients.slowRequest;
      for (let i = 0; i < this.cached.length; i++) {
        const r = this.cached[i]!;
        if (!accepts[r]) {
          failed++;
          continue;
        }
        const err = errorRate[r]!;
        const lat = latencyMs[r]!;
        // Each request on its own draw: an error, or too slow to count as served.
        const ok = !(err > 0 && this.random.next() < err) && !(lat > 0 && lat * (0.5 + this.random.next()) > slowMs);
        if (ok) this.acked[r]!++;
        else failed++;
      }
    }
    let writers = 0;
    let staleWrites = 0;
    for (let r = 0; r < n; r++) {
      const count = this.acked[r]!;
      if (count === 0) continue;
      writers++;
      if (apps[r] !== w.aurora.writer) staleWrites += count;
      w.noteWrites(apps[r]!, count);
    }
    this.failedWrites += failed;
    // Two writers acknowledging client writes in the same second: divergent histories.
    if (writers > 1) {
      this.splitBrainMs += 1000;
      this.splitBrainWrites += staleWrites;
    }
    const open = this.incidents.at(-1);
    if (failed > 0 && (!open || open.endMs !== undefined)) this.incidents.push({ startMs: nowMs });
    if (failed === 0 && open && open.endMs === undefined) open.endMs = nowMs;
  }

  private losses(list: readonly LossWindow[], fromMs: number, toMs: number): LossWindow[] {
    return list.filter((l) => l.atMs >= fromMs && l.atMs < toMs && l.toMs > l.fromMs);
  }

  /** RTO and RPO of what happened between two instants (a drill phase): outages that started, writes lost. */
  measuredBetween(fromMs: number, toMs: number): { rtoMs: number; rpoMs: number } {
    const rto = this.incidents.filter((i) => i.startMs >= fromMs && i.startMs < toMs).map((i) => (i.endMs ?? toMs) - i.startMs);
    const rpo = this.losses(this.world.aurora.losses, fromMs, toMs).map((l) => l.toMs - l.fromMs);
    return { rtoMs: Math.max(0, ...rto), rpoMs: Math.max(0, ...rpo) };
  }

  measured(endMs: number): Measured {
    const w = this.world;
    const rto = this.incidents.map((i) => (i.endMs ?? endMs) - i.startMs);
    const aurora = this.losses(w.aurora.losses, 0, Number.POSITIVE_INFINITY);
    const dynamo = this.losses(w.dynamo.losses, 0, Number.POSITIVE_INFINITY);
    const lostWrites = aurora.reduce((s, l) => s + w.ledger.between(l.region, l.fromMs, l.toMs), 0);
    return {
      rtoMs: Math.max(0, ...rto),
      rpoMs: Math.max(0, ...aurora.map((l) => l.toMs - l.fromMs)),
      dynamodbRpoMs: Math.max(0, ...dynamo.map((l) => l.toMs - l.fromMs)),
      lostWrites: Math.round(lostWrites),
      splitBrainMs: this.splitBrainMs,
      splitBrainWrites: this.splitBrainWrites,
      incidents: this.incidents,
      failedWrites: this.failedWrites,
    };
  }
}
