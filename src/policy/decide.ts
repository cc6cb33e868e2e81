// decide(): the whole failover policy as a pure function of its input. No
// I/O, no clock, no randomness: every decision can be replayed from the
// journal and checked by property tests.
//
// Order of concerns: never act on a store we cannot reach (no lease, no
// fencing); never act without a quorum; keep data loss within the RPO or
// ask a human; keep the RTO by starting in time.

import type { Decision, HealthView, Region } from "../core/index.js";
import { quorumVerdict, type QuorumVerdict } from "./quorum-rule.js";
import type { DecideInput } from "./params.js";

/** Failed switchover runs of one incident after which it fails over instead (the switchover cannot finish, e.g. across a partition). */
export const SWITCHOVER_ATTEMPTS = 2;

export function decide(input: DecideInput): Decision {
  const { state, params, nowMs, regions } = input;
  const active = state.activeRegion;
  const verdicts = new Map<Region, QuorumVerdict>(
    regions.map((r) => [r, quorumVerdict(input.views, r, params.quorum, nowMs, params.maxViewAgeMs)]),
  );
  const activeVerdict = verdicts.get(active);
  const activeDown = activeVerdict?.down === true;

  if (!state.storeReachable) {
    // Without the store there is no quorum to read and no lease to take: nothing can be done
    // safely, but an observer that sees the active region down must say so to a human.
    const seenDown = input.views.some((v) => nowMs - v.atMs <= params.maxViewAgeMs && v.regions[active]?.state === "DOWN");
    return activeDown || seenDown
      ? { action: "escalate", reason: "store-unreachable", detail: `${active} looks down but the coordination store does not answer: cannot take the lease, so cannot act safely` }
      : { action: "none", reason: "coordination store unreachable; nothing to do while the active region is up" };
  }

  // Observers lost, not disagreeing: say so instead of waiting in silence for a quorum that cannot form.
  const lost = activeDown ? undefined : quorumLost(input, activeVerdict, verdicts);
  if (lost) return lost;

  if (!activeDown) {
    if (state.incident && (state.incident.state === "open" || state.incident.state === "awaiting-approval")) {
      // Not down by quorum is not up: an observer that just restarted (its view has no verdict yet)
      // or turned DEGRADED breaks the quorum for a cycle or two while the region is as dead as before.
      // Closing the incident then restarted its clock: the RTO deadline moved (a controller restart
      // while the lag was waited out: RTO 12m39s -> 19m29s, quorum-flicker-during-lag-wait.yaml).
      // Held for two view lifetimes at most after the last cycle down by quorum: long enough for a
      // restarted observer to form its verdict, not for a gray failure that never forms a quorum to
      // keep an old incident's clock (and its pages) open for good.
      const lastDownAtMs = state.incident.lastDownAtMs ?? state.incident.firstDownAtMs;
      const holding = nowMs - lastDownAtMs <= 2 * params.maxViewAgeMs;
      if (holding && activeVerdict && activeVerdict.agreeingDown.length > 0 && activeVerdict.agreeingUp.length === 0) {
        return { action: "hold", downByQuorum: false, reason: `${active} is not down by quorum this cycle (${describe(activeVerdict)}), but no observer sees it UP: incident ${state.incident.id} stays open` };
      }
      return { action: "abort", reason: `${active} is no longer down by quorum (${describe(activeVerdict)}); incident ${state.incident.id} closes without action` };
    }
    const disputed = writerDisagreement(input);
    if (disputed) return disputed;
    const elsewhere = writerElsewhere(input);
    if (elsewhere) return elsewhere;
    const cooling = cooldownUntil(input);
    if (cooling !== undefined) return { action: "cooldown", untilMs: cooling, reason: "recent failover; automatic changes wait" };
    return failbackOrNothing(input, verdicts);
  }

  // The active region is down by quorum.
  // Answering again: its last probe round succeeded for a quorum of the observers that still call it
  // DOWN (DOWN until recoveryThreshold good rounds, about 50 s). Moving now would move away from a
  // region that is coming back: a switchover from it (its database answers) holds writes until the
  // target catches up, 20 minutes of lag and a 5-minute outage made an RTO of 27m37s. Held for
  // answeringHoldMs in all per incident, counted from the first such cycle: a region that answers
  // some rounds but never gets UP (a shallow endpoint while its database is dead, an alarm probe
  // failing every third round, a gray failure) is then decided on as if it did not answer.
  const answering = answeringAgain(input, active, activeVerdict);
  const heldSinceMs = state.incident?.answeringSinceMs ?? nowMs;
  if (answering.length >= params.quorum && nowMs - heldSinceMs < params.answeringHoldMs) {
    const incident = state.incident ? `incident ${state.incident.id}` : "the incident";
    return { action: "hold", downByQuorum: true, reason: `${active} is down by quorum but answers again (last round good from ${answering.join(", ")}): ${incident} waits up to ${Math.round(params.answeringHoldMs / 1000)} s for it to be UP or to fail again` };
  }
  const cooling = cooldownUntil(input);
  if (cooling !== undefined) {
    return {
      action: "escalate",
      reason: "approval-required",
      detail: `${active} is down by quorum during the cooldown after the last failover (until ${cooling}): a second automatic failover this soon could be flapping, a human decides`,
    };
  }
  const target = chooseTarget(input, verdicts);
  if (!target) {
    return { action: "escalate", reason: "no-healthy-target", detail: `${active} is down by quorum and no other app region is up by quorum` };
  }
  const lossMs = dataLossMs(input, target);
  const firstDownAtMs = state.incident?.firstDownAtMs ?? nowMs;
  const rtoEndMs = firstDownAtMs + params.rtoMs - params.marginMs;
  // The latest moment each path can start and still land inside the RTO.
  const unplannedDeadlineMs = rtoEndMs - params.promotionMs - params.trafficMs;
  // A switchover waits for the target's Aurora cluster to catch up first: that lag is part
  // of its duration (DynamoDB's replication does not hold a switchover up).
  const auroraLagMs = input.lag?.auroraLagMs[target];
  const plannedDeadlineMs = rtoEndMs - params.switchoverMs - (auroraLagMs !== undefined && Number.isFinite(auroraLagMs) ? auroraLagMs : 0) - params.trafficMs;
  const reasonBase = `${active} down by quorum (${describe(activeVerdict)})`;

  if (params.mode === "manual") {
    return { action: "escalate", reason: "approval-required", detail: `${reasonBase}; manual mode: approve a failover to ${target}`, to: target };
  }
  // A planned switchover loses nothing; take it whenever the old primary's
  // database still answers. Past its deadline too: an unplanned failover
  // would leave a live old writer taking writes from the clients still on it
  // until Aurora's best-effort fence lands (sweep seed 30363: 102 writes in
  // 7 s on two writers). Two writers are worse than a late recovery; the
  // reason says the RTO is at risk. But a switchover that keeps failing (its
  // replication link cut: it cannot finish across a partition) would be
  // retried until a person acts: after SWITCHOVER_ATTEMPTS failed runs the
  // incident fails over instead. The controller then moves clients off the
  // live old writer before promoting, and a person decides if that wait
  // costs more than the RPO (controller.ts drainFirstLossMs).
  const switchoverFailures = state.switchoverFailures ?? 0;
  if (state.primaryAnswers && switchoverFailures < SWITCHOVER_ATTEMPTS) {
    const late = nowMs > plannedDeadlineMs ? `; the budget has no room for its ${describeLag(auroraLagMs ?? 0)} of lag, so the RTO is at risk, but an unplanned failover would leave the live old writer taking writes` : "";
    return { action: "failover", from: active, to: target, mode: "planned", reason: `${reasonBase}; its database still answers: planned switchover, no data loss${late}`, expectedDataLossMs: 0 };
  }
  const gaveUp = state.primaryAnswers ? `; its database still answers, but the switchover failed ${switchoverFailures} times` : "";
  if (lossMs <= params.rpoMs) {
    return {
      action: "failover",
      from: active,
      to: target,
      mode: "unplanned",
      reason: `${reasonBase}${gaveUp}; ${target} lag ${lossMs}ms within RPO ${params.rpoMs}ms`,
      expectedDataLossMs: lossMs,
    };
  }
  if (nowMs < unplannedDeadlineMs) {
    return {
      action: "wait-for-lag",
      to: target,
      lagMs: lossMs,
      deadlineMs: unplannedDeadlineMs,
      reason: `${reasonBase}; lag ${describeLag(lossMs)} exceeds RPO ${params.rpoMs}ms: waiting for it to drain while the RTO allows`,
    };
  }
  if (params.onRpoBreach === "accept-data-loss") {
    return {
      action: "failover",
      from: active,
      to: target,
      mode: "unplanned",
      reason: `${reasonBase}; lag ${describeLag(lossMs)} exceeds RPO and the RTO deadline passed: policy accepts the data loss`,
      expectedDataLossMs: lossMs,
    };
  }
  return {
    action: "escalate",
    reason: "rpo-breach",
    detail: `${reasonBase}; failing over to ${target} would lose ${describeLag(lossMs)} of writes (RPO ${params.rpoMs}ms) and the RTO deadline passed: approve to accept the loss`,
    to: target,
  };
}

/**
 * The observers among those calling `region` DOWN whose freshest view had its last probe round
 * succeed. One round: a returning primary's database answers at once, and a switchover decided
 * on the next cycle is the move this is about (two rounds let 12 of 60 returns by hand through).
 * The cost, in a gray failure: lucky rounds from a quorum hold decisions, answeringHoldMs at most.
 */
function answeringAgain(input: DecideInput, region: Region, v: QuorumVerdict | undefined): Region[] {
  if (!v) return [];
  return v.agreeingDown.filter((observer) => {
    const latest = input.views.filter((x) => x.observer === observer).reduce<HealthView | undefined>((a, b) => (a && a.atMs >= b.atMs ? a : b), undefined);
    return (latest?.regions[region]?.consecutiveSuccesses ?? 0) > 0;
  });
}

/**
 * The active region is seen DOWN by every observer that still publishes a
 * fresh view, but they are fewer than the quorum: the others are silent
 * (dead or cut off), not disagreeing. No automatic failover (the quorum is
 * what prevents split brain), but a human must hear it, with who voted what
 * and who is silent, and which region the voters still see UP.
 */
function quorumLost(input: DecideInput, v: QuorumVerdict | undefined, verdicts: Map<Region, QuorumVerdict>): Decision | undefined {
  if (!v || v.agreeingDown.length === 0 || v.agreeingDown.length !== v.voters.length || v.agreeingDown.length >= input.params.quorum) return undefined;
  const active = input.state.activeRegion;
  const silent = [...new Set([...v.stale, ...(input.observers ?? []).filter((o) => !v.voters.includes(o))])].sort();
  const survivors = input.regions.filter((r) => {
    if (r === active) return false;
    const t = verdicts.get(r);
    return t !== undefined && t.voters.length > 0 && t.agreeingUp.length === t.voters.length;
  });
  const suggestion = survivors[0];
  return {
    action: "escalate",
    reason: "no-quorum",
    detail:
      `${active} is seen DOWN by every observer still reporting (${v.agreeingDown.join(", ")}), but that is ${v.agreeingDown.length} of the ${input.params.quorum} the quorum needs; ` +
      `silent: ${silent.join(", ") || "none"}. ` +
      (suggestion
        ? `${survivors.join(", ")} ${survivors.length === 1 ? "is" : "are"} seen UP by every voter: an operator can run failover --to ${suggestion} --force`
        : "no other region is seen UP by every voter"),
  };
}

/**
 * How long Aurora's writer (agreed by two regions) must have differed from
 * the active region, with no run in flight, before a person is told, at the
 * first cycle that sees the active region up. Inside a runbook the two
 * differ for a promotion's length, but a run in flight keeps the marker set
 * and the controller reports no mismatch then; this covers a read that
 * lands between two steps.
 */
export const WRITER_ELSEWHERE_GRACE_MS = 5 * 60_000;

/**
 * The active region is up, but Aurora's writer is another region: a failover
 * that promoted and could not move traffic (records with us-east-1 lost), or
 * a promotion made by hand. Clients write to a reader (unavailability) or to
 * an old writer Aurora could not fence (writes that will be lost). Nothing
 * automatic is safe to pick here, and saying nothing would read as "all
 * clear": a person decides.
 */
function writerElsewhere(input: DecideInput): Decision | undefined {
  const { writerRegion: writer, writerElsewhereSinceMs: since, activeRegion: active } = input.state;
  if (!writer || writer === active || since === undefined || input.nowMs - since < WRITER_ELSEWHERE_GRACE_MS) return undefined;
  return {
    action: "escalate",
    reason: "writer-elsewhere",
    to: writer,
    detail: `Aurora's writer is ${writer} but clients are sent to ${active} (up): their writes reach a reader, or an old writer Aurora could not fence and whose writes will be lost. Check which writer holds the data, then move traffic to ${writer} (failover --to ${writer} --unplanned --url <daemon>: this daemon holds the lease) or fail Aurora back`,
  };
}

/**
 * How long two regions' RDS APIs must have named different writers before a
 * person is told. Regional answers may differ for moments around a
 * promotion; a region that keeps calling itself the writer after that is an
 * old primary Aurora could not fence.
 */
export const WRITER_DISAGREEMENT_GRACE_MS = 2 * 60_000;

/**
 * The active region is up, and another region's RDS API still calls its own
 * cluster the writer: an old primary cut off from the new writer, which
 * Aurora's best-effort fence has not reached. It acknowledges the writes of
 * every client that still reaches it (a cached DNS answer, a direct
 * endpoint), and they are lost when it rejoins. Traffic is already away from
 * it; stopping those clients or its instances is a person's call.
 */
function writerDisagreement(input: DecideInput): Decision | undefined {
  const { writerDisputedSinceMs: since, writerClaims: claims, activeRegion: active, writerRegion: writer } = input.state;
  if (since === undefined || !claims || input.nowMs - since < WRITER_DISAGREEMENT_GRACE_MS) return undefined;
  const named = Object.entries(claims).sort(([a], [b]) => a.localeCompare(b)).map(([by, w]) => `${by}'s names ${w}`).join(", ");
  const base = `The regions' RDS APIs name different Aurora writers (${named})`;
  const stale = Object.entries(claims).flatMap(([by, w]) => (by === w && w !== (writer ?? active) ? [by] : [])).sort();
  if (writer !== undefined && stale.includes(active)) {
    return {
      action: "escalate",
      reason: "writer-disagreement",
      to: writer,
      detail: `${base}: clients are sent to ${active}, an old primary Aurora could not fence that still calls itself the writer, while ${writer} was promoted. Their writes there are lost when it rejoins. Move traffic to ${writer} (failover --to ${writer} --unplanned --url <daemon>: this daemon holds the lease)`,
    };
  }
  const who = stale.length > 0 ? `${stale.join(" and ")} still call${stale.length === 1 ? "s" : ""} itself the writer, an old primary Aurora could not fence` : "the controller cannot tell which is the writer";
  return {
    action: "escalate",
    reason: "writer-disagreement",
    detail: `${base}, and clients are sent to ${active}: ${who}. Any client still reaching it (a cached DNS answer, a direct endpoint) writes there, and those writes are lost when it rejoins. Find and stop those clients or its writer instances; the controller does not act on its claim`,
  };
}

function cooldownUntil(input: DecideInput): number | undefined {
  const last = input.state.lastFailoverAtMs;
  if (last === undefined) return undefined;
  const until = last + input.params.cooldownMs;
  return input.nowMs < until ? until : undefined;
}

/** Healthy (UP by quorum), lowest lag, then preference order. Never the active region. */
export function chooseTarget(input: DecideInput, verdicts: Map<Region, QuorumVerdict>): Region | undefined {
  const writer = input.state.writerRegion;
  // Already promoted: moving traffic there loses nothing and promotes no one a second time.
  if (writer && writer !== input.state.activeRegion && input.regions.includes(writer) && verdicts.get(writer)?.up === true) return writer;
  const candidates = input.regions.filter((r) => r !== input.state.activeRegion && verdicts.get(r)?.up === true);
  return candidates
    .map((r) => ({ r, lag: dataLossMs(input, r), pref: input.regions.indexOf(r) }))
    .sort((a, b) => a.lag - b.lag || a.pref - b.pref)[0]?.r;
}

/** Data-loss estimate for promoting `target`: the worst lag into it; unknown lag is unbounded. */
export function dataLossMs(input: DecideInput, target: Region): number {
  // The writer already holds every acknowledged write it will ever have: nothing more to lose by moving to it.
  if (target === input.state.writerRegion && target !== input.state.activeRegion) return 0;
  const aurora = input.lag?.auroraLagMs[target];
  if (aurora === undefined) return Number.POSITIVE_INFINITY;
  const dynamo = input.lag?.dynamodbLagMs[target] ?? 0;
  return Math.max(aurora, dynamo);
}

function failbackOrNothing(input: DecideInput, verdicts: Map<Region, QuorumVerdict>): Decision {
  const preferred = input.regions[0];
  const active = input.state.activeRegion;
  if (!preferred || preferred === active) return { action: "none", reason: `${active} is up` };
  const ready = verdicts.get(preferred)?.up === true && verdicts.get(active)?.up === true;
  const lag = dataLossMs(input, preferred);
  if (!ready || lag > input.params.failbackMaxLagMs) {
    return { action: "none", reason: `${active} is up; failback to ${preferred} not ready (${ready ? `lag ${describeLag(lag)}` : "not healthy by quorum"})` };
  }
  if (input.params.failback === "manual") {
    return { action: "none", reason: `${active} is up; failback to ${preferred} is ready (run it with failover --to ${preferred} --planned)` };
  }
  return { action: "failback", from: active, to: preferred, reason: `${preferred} healthy by quorum and lag ${describeLag(lag)} drained: planned failback` };
}

function describe(v: QuorumVerdict | undefined): string {
  if (!v) return "no views";
  return `down: ${v.agreeingDown.join(",") || "none"}; up: ${v.agreeingUp.join(",") || "none"}`;
}

const describeLag = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)}ms` : "unknown");
