// The cross-region view: a region is DOWN only when a quorum of observers,
// each with a fresh view, says so. A partition between the primary and one
// observer makes that observer say DOWN, but the others still see it UP, so
// no quorum forms. Stale views (an observer that stopped publishing) do not
// vote at all: silence is not evidence.

import type { HealthState, HealthView, Region } from "../core/index.js";

export interface QuorumVerdict {
  target: Region;
  /** Fresh views that said DOWN. */
  agreeingDown: Region[];
  /** Fresh views that said UP (DEGRADED counts as answering, not as UP). */
  agreeingUp: Region[];
  voters: Region[];
  stale: Region[];
  down: boolean;
  up: boolean;
}

export function quorumVerdict(
  views: readonly HealthView[],
  target: Region,
  quorum: number,
  nowMs: number,
  maxViewAgeMs: number,
): QuorumVerdict {
  const voters: Region[] = [];
  const stale: Region[] = [];
  const byState = new Map<HealthState, Region[]>();
  // One vote per observer (its freshest view), sorted so the verdict does not
  // depend on the order views were read in.
  // Two views of one observer at the same instant that disagree about the
  // target are contradictory evidence: that observer votes UNKNOWN (neither
  // for a failover nor for a failback), whatever order they were read in.
  const latest = new Map<Region, { atMs: number; state: HealthState }>();
  for (const v of views) {
    const seen = latest.get(v.observer);
    const state = v.regions[target]?.state ?? "UNKNOWN";
    if (!seen || v.atMs > seen.atMs) latest.set(v.observer, { atMs: v.atMs, state });
    else if (v.atMs === seen.atMs && state !== seen.state) seen.state = "UNKNOWN";
  }
  for (const [observer, v] of [...latest.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (nowMs - v.atMs > maxViewAgeMs) {
      stale.push(observer);
      continue;
    }
    const { state } = v;
    voters.push(observer);
    byState.set(state, [...(byState.get(state) ?? []), observer]);
  }
  const agreeingDown = byState.get("DOWN") ?? [];
  const agreeingUp = byState.get("UP") ?? [];
  return { target, agreeingDown, agreeingUp, voters, stale, down: agreeingDown.length >= quorum, up: agreeingUp.length >= quorum };
}
