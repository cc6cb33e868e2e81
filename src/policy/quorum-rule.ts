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
  const latest = new Map<Region, HealthView>();
  for (const v of views) {
    const seen = latest.get(v.observer);
    if (!seen || v.atMs > seen.atMs) latest.set(v.observer, v);
  }
  for (const v of [...latest.values()].sort((a, b) => a.observer.localeCompare(b.observer))) {
    if (nowMs - v.atMs > maxViewAgeMs) {
      stale.push(v.observer);
      continue;
    }
    const state = v.regions[target]?.state ?? "UNKNOWN";
    voters.push(v.observer);
    byState.set(state, [...(byState.get(state) ?? []), v.observer]);
  }
  const agreeingDown = byState.get("DOWN") ?? [];
  const agreeingUp = byState.get("UP") ?? [];
  return { target, agreeingDown, agreeingUp, voters, stale, down: agreeingDown.length >= quorum, up: agreeingUp.length >= quorum };
}
