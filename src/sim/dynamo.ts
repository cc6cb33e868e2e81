// The application's DynamoDB global tables in eventual (MREC) mode, as AWS
// documents them: every replica accepts writes, replication is asynchronous
// with latency, last writer wins, and conditional writes cannot arbitrate
// between regions. Clients write to the replica of the region they reach;
// replication between two replicas stops while either is down or the two
// regions are partitioned. The data-loss window of a region that starts
// taking writes is what the other regions had acknowledged and it had not
// received (the DynamoDB RPO).

import type { SeededRandom } from "../core/index.js";
import type { FaultBook } from "./faults.js";
import type { LossWindow, Spread } from "./aurora.js";

/** A region that wrote nothing for this long starts a new run of writes when it writes again. */
const QUIET_MS = 5_000;

export class SimDynamo {
  /** `from>to`: how far `from`'s writes have reached `to`. */
  private readonly reached = new Map<string, number>();
  readonly lastAckMs: Record<string, number> = {};
  readonly losses: LossWindow[] = [];

  constructor(
    readonly regions: readonly string[],
    private readonly latency: Spread,
    private readonly faults: FaultBook,
    private readonly random: SeededRandom,
  ) {}

  up(region: string): boolean {
    return !this.faults.regionDown(region, "dynamodb");
  }

  step(nowMs: number): void {
    const extra = this.faults.extraLagMs("dynamodb");
    for (const a of this.regions) {
      if (this.lastAckMs[a] === undefined) continue; // nothing written there yet: nothing to replicate
      for (const b of this.regions) {
        if (a === b || !this.up(a) || !this.up(b) || this.faults.partitioned(a, b)) continue;
        const key = `${a}>${b}`;
        const lagMs = this.random.jittered(this.latency.mean, this.latency.jitter) + extra;
        this.reached.set(key, Math.max(this.reached.get(key) ?? 0, nowMs - lagMs));
      }
    }
  }

  /** `region` acknowledged client writes at `nowMs`. */
  noteWrite(region: string, nowMs: number): void {
    const last = this.lastAckMs[region];
    if (last === undefined || nowMs - last > QUIET_MS) {
      // A new run of writes here: what the others acknowledged and this replica never got is lost to it.
      for (const other of this.regions) {
        const otherLast = this.lastAckMs[other];
        if (other === region || otherLast === undefined) continue;
        const fromMs = Math.max(this.reached.get(`${other}>${region}`) ?? 0, last ?? 0);
        if (otherLast > fromMs) this.losses.push({ region: other, fromMs, toMs: otherLast, atMs: nowMs });
      }
    }
    this.lastAckMs[region] = nowMs;
  }
}
