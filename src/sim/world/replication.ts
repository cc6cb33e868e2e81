// One asynchronous replication stream (Aurora writer -> a secondary, or a
// DynamoDB replica -> another). Its state is a single number: the writer
// time up to which the receiver has applied everything. While the link is
// up, that point trails the present by the lag; while it is down it stays
// put, and the writes after it are exactly the ones a promotion would lose.
//
// A replication-lag fault sets the lag to its value at once ("replication
// falls behind by this much while the fault lasts"), so the applied point
// steps back when the fault starts and catches up when it ends. A real
// backlog builds up at most one second per second; scenario files are
// written against the stated lag, so the stated lag is what is modelled.
//
// Lag noise comes from hashUnit(seed, link, second): the value at a given
// second does not depend on who asked before, so adding a probe to a
// scenario cannot change the data it loses.

import { hashUnit } from "../scheduler.js";
import type { LagSpec } from "../types.js";
import type { WorldCore } from "./core.js";

export class ReplicationLink {
  private appliedMs: number;
  private wasUp: boolean;

  constructor(
    private readonly core: WorldCore,
    private readonly key: number,
    private readonly lag: LagSpec,
    private readonly service: "aurora" | "dynamodb",
    private readonly isUp: () => boolean,
  ) {
    this.appliedMs = core.now() - lag.meanMs;
    // Whether the link is up is first read at the first settle(): the
    // owner may not be fully built while its links are.
    this.wasUp = false;
  }

  /** Lag of this link at `atMs` (now or later: faults are read as they are now). */
  lagMs(atMs: number): number {
    const u = hashUnit(this.core.seed, this.key, Math.floor(atMs / 1000));
    const base = Math.max(0, this.lag.meanMs + (u * 2 - 1) * this.lag.jitterMs);
    return Math.round(base + this.core.extraLagMs(this.service));
  }

  /**
   * Brings the applied point up to now, then records whether the link is up
   * from now on. Must run just before AND just after anything that can
   * change whether the link is up (faults, role changes), so time spent up
   * and time spent down are never confused.
   */
  settle(): number {
    const now = this.core.now();
    if (this.wasUp) this.appliedMs = now - this.lagMs(now);
    this.wasUp = this.isUp();
    return this.appliedMs;
  }

  /** Writer time up to which the receiver holds every write. */
  applied(): number {
    return this.settle();
  }

  /** Current lag as CloudWatch would report it: how far behind the present the receiver is. */
  currentLagMs(): number {
    return Math.max(0, this.core.now() - this.settle());
  }

  /** The receiver holds everything up to `atMs` (after a full resync or a completed switchover). */
  resetTo(atMs: number): void {
    this.appliedMs = atMs;
    this.wasUp = this.isUp();
  }
}
