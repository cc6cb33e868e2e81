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
unless replaced: clients may still be sent to an old primary). Anything
 * else is no evidence: undefined, and the policy sees no writer and no zero
 * lag. A controller started after the replacement learns the last one from
 * the control record (replacedRegion, written by the runbook that moved the
 * active region); one before that it cannot know (README, partial).
 */
export function trustedWriter(topology: AuroraTopology | undefined, active: Region | undefined, promoted: Region | undefined, superseded: ReadonlySet<Region>): Region | undefined {
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
