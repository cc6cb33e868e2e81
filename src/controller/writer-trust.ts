// Which Aurora writer a controller may act on. Each region's RDS API names a
// writer; an old primary that Aurora could not fence (cut off from the new
// writer: fencing is best effort) may still name itself, describing the world
// from before the promotion it never heard of. Acting on that claim would
// fail over to it as "already the writer, nothing to lose" and drop every
// write the real writer took since (a stale writer, then the real one lost).

import type { Region } from "../core/index.js";
import type { AuroraTopology } from "../probes/index.js";

/**
 * The writer to act on: one another region confirms; else a region's claim
 * about itself, unless this controller saw that region replaced as the
 * writer since it last was one (`superseded`): an incident may target such a
 * region again (the new writer's region lost in turn), and its own claim is
 * then exactly the stale view this rule is about. Between two claims, the
 * target of this controller's own incident (a promotion it made, whose
 * traffic move is still to come) wins, then the active region (itself
 * unless replaced: clients may still be sent to an old primary). Anything
 * else is no evidence: undefined, and the policy sees no writer and no zero
 * lag. A controller started after the replacement learns the last one from
 * the control record (replacedRegion, written by the runbook that moved the
 * active region); one before that it cannot know (README, partial).
 */
export function trustedWriter(topology: AuroraTopology | undefined, active: Region | undefined, promoted: Region | undefined, superseded: Pick<ReadonlySet<Region>, "has">): Region | undefined {
  const writer = topology?.writerRegion;
  if (writer === undefined || topology?.writerConfirmed === true) return writer;
  // A topology without claims (built by hand, not by the probe) has nothing to weigh.
  if (topology?.writerClaims === undefined) return writer;
  const selfClaims = Object.entries(topology.writerClaims).flatMap(([by, named]) => (by === named ? [by] : []));
  const unreplaced = selfClaims.filter((r) => !superseded.has(r));
  if (promoted !== undefined && unreplaced.includes(promoted)) return promoted;
  // Before the control record was read (`active` unknown), nobody's word about itself counts.
  if (active === undefined) return undefined;
  if (unreplaced.includes(active)) return active;
  return unreplaced.length === 1 ? unreplaced[0] : undefined;
}

/** Two or more answering regions name different writers. */
export function writerDisputed(topology: AuroraTopology | undefined): boolean {
  return new Set(Object.values(topology?.writerClaims ?? {})).size >= 2;
}

/**
 * What one controller remembers about Aurora's writers between reads: the
 * writer its kept lag readings were taken under, the writers it saw
 * replaced, the region it last saw Aurora promoting, and the last writer it
 * trusted (and when). The controller owns the lag readings; the memory says
 * when they stop holding.
 */
export class WriterMemory {
  /** The writer the kept lag readings were taken under. */
  private lagWriter?: Region;
  /** Writers seen replaced: their own word that they are the writer again needs another region's. */
  private readonly superseded = new Set<Region>();
  /** Last seen being promoted (until the active region moves): the record's replacedRegion does not count against it. */
  private seenPromotion?: Region;
  private last?: { region: Region; atMs: number };

  /** The writer to act on: trustedWriter, with the control record's replaced region (a move made before this process started) counted as replaced. */
  trusted(topology: AuroraTopology | undefined, active: Region | undefined, promoted: Region | undefined, replaced: Region | undefined): Region | undefined {
    // Asked every cycle: a lookup, not a copy of the set with the record's region added.
    const counts = replaced !== undefined && replaced !== active && replaced !== this.seenPromotion;
    return trustedWriter(topology, active, promoted, { has: (r) => this.superseded.has(r) || (counts && r === replaced) });
  }

  /**
   * Before a read's writer is decided: Aurora promoting a region replaced
   * before (back to the old primary after the new writer was lost) makes
   * its word count again once promoted, alone if the other region is down.
   */
  notePromotion(topology: AuroraTopology): void {
    const promoting = topology.promotingTo;
    if (promoting === undefined) return;
    this.superseded.delete(promoting);
    this.seenPromotion = promoting;
    this.last = undefined;
  }

  /**
   * After a read: `writer` is the one trusted, `named` the one the probe
   * named. True when the kept lag readings no longer hold: they measured
   * replication from another writer, and a writer's own "0 ms" only meant
   * it was the writer (sweep seed 150221); or a writer is named whose word
   * is not taken, least of all on the 0 it kept from when it was trusted.
   */
  noteRead(writer: Region | undefined, named: Region | undefined, nowMs: number): boolean {
    let stale = false;
    if (writer !== undefined && this.lagWriter !== undefined && writer !== this.lagWriter) {
      stale = true;
      this.superseded.add(this.lagWriter);
    }
    if (writer === undefined && named !== undefined) {
      stale = this.lagWriter !== undefined;
      this.lagWriter = undefined;
      this.last = undefined;
    }
    if (writer !== undefined) {
      this.lagWriter = writer;
      this.superseded.delete(writer);
      this.last = { region: writer, atMs: nowMs };
    }
    return stale;
  }

  /**
   * A runbook moved the active region after verifying the new one as the
   * writer: the old one was replaced (its own region may go on naming it
   * the writer, unfenced), and the new one's word counts again. An old
   * primary's own controller learns it here: cut off from the new writer,
   * it never reads it as one.
   */
  activeMoved(before: Region, after: Region): void {
    this.superseded.add(before);
    this.superseded.delete(after);
    this.seenPromotion = undefined;
  }

  /** The last writer trusted within `freshMs`, for a cycle in which no region's RDS API answered. */
  recent(nowMs: number, freshMs: number): Region | undefined {
    return this.last !== undefined && nowMs - this.last.atMs <= freshMs ? this.last.region : undefined;
  }
}
