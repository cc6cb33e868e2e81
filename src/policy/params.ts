// The numbers the policy needs, in milliseconds. The controller maps the
// config to these, so policy/ depends on core only and stays pure.

import type { HealthView, Incident, LagReading, Region } from "../core/index.js";

export interface PolicyParams {
  rtoMs: number;
  rpoMs: number;
  mode: "automatic" | "manual";
  cooldownMs: number;
  quorum: number;
  onRpoBreach: "escalate" | "accept-data-loss";
  marginMs: number;
  /** Unplanned promotion estimate (FailoverGlobalCluster). */
  promotionMs: number;
  /** Planned switchover estimate, excluding the wait for lag. */
  switchoverMs: number;
  /** Traffic flip + DNS TTL: time from "database promoted" to "clients moved". */
  trafficMs: number;
  /** Views older than this do not vote. */
  maxViewAgeMs: number;
  /**
   * How long, in all, an incident may be held because its region answers
   * again while still DOWN: about as long as the health hysteresis takes to
   * call a returning region UP. Past it the policy decides as if it did not
   * answer (a region that answers half its probe rounds never gets UP).
   */
  answeringHoldMs: number;
  /** Lag at or under which failback counts as drained. */
  failbackMaxLagMs: number;
  failback: "automatic" | "manual";
}

export interface PolicyState {
  /** The region that should be taking writes, per the control record. */
  activeRegion: Region;
  /** When the last failover (or failback) completed. */
  lastFailoverAtMs?: number;
  /**
   * The incident in progress, if any; firstDownAtMs starts the RTO clock;
   * lastDownAtMs is the last cycle its region was down by quorum (how long
   * a `hold` may last); answeringSinceMs is the first cycle of the incident
   * held because its region answered again (answeringHoldMs bounds them all).
   */
  incident?: Pick<Incident, "id" | "state" | "to"> & { firstDownAtMs: number; lastDownAtMs?: number; answeringSinceMs?: number };
  /** False when the coordination store did not answer this cycle. */
  storeReachable: boolean;
  /** The active region's Aurora member still answers (a planned switchover is possible). */
  primaryAnswers: boolean;
  /**
   * The app region Aurora reports as the writer, when known. It differs from
   * the active region when a promotion finished after the runbook that
   * started it gave up (or someone promoted by hand): that region is then
   * the only target that loses nothing and needs no second promotion.
   */
  writerRegion?: Region;
  /** Since when (fresh reads, no incident in flight) Aurora's writer has been another region than the active one. */
  writerElsewhereSinceMs?: number;
  /** Since when (fresh reads) two regions' RDS APIs have named different writers, and what each names. */
  writerDisputedSinceMs?: number;
  writerClaims?: Record<Region, Region>;
  /** Switchover runs of this incident that failed (their runbook escalated), whichever controller ran them. */
  switchoverFailures?: number;
}

export interface DecideInput {
  state: PolicyState;
  views: HealthView[];
  lag?: LagReading;
  nowMs: number;
  params: PolicyParams;
  /** App regions in preference order (the first is preferred for failback). */
  regions: Region[];
  /** Every observer region (app regions and the witness), so a no-quorum escalation can name the silent ones. */
  observers?: Region[];
}
