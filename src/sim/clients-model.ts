// The simulated app clients: clientsPerRegion of them per app region, each
// caching the DNS answer for the record's TTL and writing once a second to
// the region its cached answer names. What they see is what RTO, RPO and
// split brain are measured from.
//
// 200 clients writing every second for two hours would be 1.4 million
// events. They are aggregated instead: clients are grouped in buckets by
// the phase at which their cache expires (staggered over the TTL with
// seeded jitter, as real clients resolved at different times), each bucket
// re-resolves at its own expiry times, and only when the authoritative
// answer has changed since it last resolved. Writes are a flow (clients per
// second per region), integrated exactly by the measurements, so nothing
// happens between events.

import type { Region } from "../core/index.js";
import type { DnsAnswer } from "./world/route53.js";
import type { World } from "./world/world.js";

interface Bucket {
  count: number;
  phaseMs: number;
  answer: DnsAnswer;
  version: number;
  /** A re-resolution is already scheduled. */
  pending: boolean;
}

const MAX_BUCKETS = 120;
/** With TTL 0 clients resolve before every write: once a second. */
const MIN_CACHE_MS = 1_000;

export class ClientsModel {
  readonly total: number;
  private readonly buckets: Bucket[] = [];
  private readonly cacheMs: number;
  /** Clients whose cached answer sends them to each region ("" = nowhere). */
  readonly directed = new Map<Region, number>();

  constructor(private readonly world: World) {
    const core = world.core;
    this.total = core.settings.clientsPerRegion * core.regions.length;
    this.cacheMs = Math.max(MIN_CACHE_MS, core.settings.dnsTtlMs);
    const n = Math.min(this.total, MAX_BUCKETS);
    const r53 = world.route53;
    for (let k = 0; k < n; k++) {
      const count = Math.floor(((k + 1) * this.total) / n) - Math.floor((k * this.total) / n);
      const phaseMs = Math.floor(((k + core.random.next()) / n) * this.cacheMs);
      this.buckets.push({ count, phaseMs, answer: r53.answer, version: r53.answerVersion, pending: false });
    }
    this.direct(r53.answer, this.total);
    r53.answerListeners.push(() => this.onAnswerChanged());
  }

  private direct(answer: DnsAnswer, count: number): void {
    if (answer.length === 0) this.directed.set("", (this.directed.get("") ?? 0) + count);
    for (const [region, share] of answer) this.directed.set(region, (this.directed.get(region) ?? 0) + count * share);
  }

  /** Next time at or after `nowMs` at which a bucket's cache expires. */
  private nextExpiry(b: Bucket, nowMs: number): number {
    const start = this.world.core.startMs + b.phaseMs;
    if (nowMs <= start) return start;
    return start + Math.ceil((nowMs - start) / this.cacheMs) * this.cacheMs;
  }

  private onAnswerChanged(): void {
    const now = this.world.core.now();
    for (const b of this.buckets) {
      if (b.pending) continue; // it will read the newest answer when it resolves
      b.pending = true;
      this.world.sched.at(this.nextExpiry(b, now), () => this.resolve(b));
    }
  }

  private resolve(b: Bucket): void {
    b.pending = false;
    const r53 = this.world.route53;
    if (b.version === r53.answerVersion) return;
    this.direct(b.answer, -b.count);
    b.answer = r53.answer;
    b.version = r53.answerVersion;
    this.direct(b.answer, b.count);
    // Float dust from shares like 1/3 must not read as a client.
    for (const [r, c] of this.directed) if (Math.abs(c) < 1e-9) this.directed.delete(r);
    this.world.core.touch();
  }
}
