// Domain types shared by every module. Plain data only: they travel through
// the journal, the coordination store and the game-day verdict as JSON.

/** An AWS region name, e.g. "us-east-1". */
export type Region = string;

export type ProbeKind = "http" | "cloudwatch-alarm" | "route53-health-check" | "aurora" | "dynamodb";

/** One measurement of one target region, made from one observer region. */
export interface Observation {
  /** Stable probe identifier from the config, e.g. "http#0". */
  probe: string;
  kind: ProbeKind;
  /** The region whose controller made the measurement. */
  observer: Region;
  /** The region the measurement is about. */
  target: Region;
  /** Clock time of the measurement. */
  atMs: number;
  ok: boolean;
  latencyMs?: number;
  /** Numeric reading when the probe has one (lag in ms for aurora/dynamodb). */
  value?: number;
  /** Why it failed, in words (status code, timeout, alarm state...). */
  detail?: string;
}

/** UP and DOWN need their thresholds crossed; DEGRADED is a gray failure. */
export type HealthState = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN";

export interface RegionHealth {
  region: Region;
  state: HealthState;
  /** When `state` was entered. */
  sinceMs: number;
  /** Failures / samples over the sliding window. */
  errorRate: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /**
   * When the first failed round since the region was last UP was taken
   * (absent while it is UP and its last round passed). What this observer
   * learned about the region after that instant was learned while it failed.
   */
  failingSinceMs?: number;
}

/** What one observer currently believes about every region. */
export interface HealthView {
  observer: Region;
  atMs: number;
  regions: Record<Region, RegionHealth>;
  /**
   * The Aurora members that answered this observer's last topology read
   * (each in its own region), and when it was taken. Whether an old writer
   * still answers decides whether a failover moves clients off it before
   * promoting (controller.ts, oldWriterAnswers). Absent from older versions.
   */
  aurora?: { answering: Region[]; atMs: number };
}

/** Replication lag as read at decision time: the data-loss estimate. */
export interface LagReading {
  /** Aurora lag per secondary region (ms); absent when unknown. */
  auroraLagMs: Record<Region, number>;
  /** Worst DynamoDB ReplicationLatency into each region (ms). */
  dynamodbLagMs: Record<Region, number>;
  atMs: number;
}

export type FailoverMode = "planned" | "unplanned";

export type EscalationReason =
  | "rpo-breach"
  | "no-healthy-target"
  | "store-unreachable"
  | "approval-required"
  | "runbook-failed"
  | "stuck-promotion"
  /** Every observer still reporting sees the active region DOWN, but they are fewer than the quorum (observers lost, not disagreeing). */
  | "no-quorum"
  /** Aurora's writer is not the active region, which is up: clients write to a reader, or to an old writer Aurora has not fenced. */
  | "writer-elsewhere"
  /** The active region is up and another region's RDS API still names its own cluster the writer: an old primary Aurora has not fenced. */
  | "writer-disagreement";

export type Decision =
  | { action: "none"; reason: string }
  | {
      action: "failover";
      from: Region;
      to: Region;
      mode: FailoverMode;
      reason: string;
      /** Expected data loss at decision time (0 for planned). */
      expectedDataLossMs: number;
    }
  | { action: "failback"; from: Region; to: Region; reason: string }
  | { action: "wait-for-lag"; to: Region; lagMs: number; deadlineMs: number; reason: string }
  | { action: "escalate"; reason: EscalationReason; detail: string; to?: Region }
  | { action: "cooldown"; untilMs: number; reason: string }
  | { action: "abort"; reason: string }
  /**
   * Nothing is done and nothing resolves; the incident stays open. Either its
   * region is not down by quorum this cycle but some observer still sees it
   * DOWN and none UP (downByQuorum false), or it is down by quorum but answers
   * again, for a while (downByQuorum true).
   */
  | { action: "hold"; reason: string; downByQuorum: boolean };

export type DecisionAction = Decision["action"];

export type IncidentState = "open" | "acting" | "awaiting-approval" | "resolved" | "escalated" | "aborted";

export interface IncidentEvent {
  atMs: number;
  event: string;
  detail?: Record<string, unknown>;
}

export interface Incident {
  /** Also the Step Functions execution name, so restarts are idempotent. */
  id: string;
  openedAtMs: number;
  from: Region;
  to?: Region;
  mode?: FailoverMode;
  state: IncidentState;
  /** Fencing epoch under which the incident acts. */
  epoch?: number;
  /** The runbook acting for it (failover, switchover, failback), so another controller can resume it. */
  runbook?: string;
  /** Whether its runbook waits at the approval gate. */
  /**
   * failover: clients were to leave the old writer before the promotion (it
   * still answered). Kept so a controller that resumes the run keeps the
   * order, whatever its own evidence says by then.
   */
  clientDrainFirst?: boolean;
  approvalRequired?: boolean;
  /** Who started it: the policy on its own, or an operator (`failover --to`, a drill). */
  trigger?: "policy" | "operator";
  /** Replication lag into the target when the runbook started: the data loss it accepts (0 when planned). */
  expectedDataLossMs?: number;
  /** Who answered the approval gate, when it had one. */
  approvedBy?: string;
  /** When the runbook ended (resolved or escalated). */
  endedAtMs?: number;
  /**
   * After a failed run: attempts so far, when the next may start (backoff),
   * and the failures already paged (`reason:error`). Whichever controller
   * holds the lease next continues this incident from them (same id, same
   * backoff, no second page for the same failure) instead of opening one of
   * its own (controller.ts, adoptRetry).
   */
  attempts?: number;
  nextAttemptAtMs?: number;
  paged?: string[];
  /** Switchover runs that failed: after SWITCHOVER_ATTEMPTS of them the policy fails over instead (decide.ts). */
  switchoverFailures?: number;
  timeline: IncidentEvent[];
}
