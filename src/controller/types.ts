// The controller as the daemon, the CLI and the simulator see it: one
// control cycle per tick, a read-only status snapshot, and the operator's
// levers. The implementation lives in cycle.ts and friends.

import type { Decision, FailoverMode, HealthView, Incident, JournalEntry, LagReading, Region } from "../core/index.js";
import type { RunbookName, RunbookProgress, RunbookStatus } from "../runbooks/index.js";
import type { FailoverOptions } from "./override.js";
import type { ExecutionView } from "./runbook-engine.js";

/** A manual move the controller refused before changing anything, and why. */
export class ManualRefused extends Error {
  constructor(
    message: string,
    /** When the coordination store does not answer: what a person can do by hand instead, step by step. */
    readonly manualSteps?: readonly string[],
  ) {
    super(message);
    this.name = "ManualRefused";
  }
}

/** How a manual move (`failover --to`, a drill phase) ended. */
export interface ManualResult {
  incidentId: string;
  runbook: RunbookName;
  from: Region;
  to: Region;
  mode: FailoverMode;
  status: RunbookStatus;
  epoch: number;
  startedAtMs: number;
  endedAtMs: number;
}

export interface LeaseStatus {
  holder?: string;
  epoch: number;
  expiresAtMs?: number;
  /** True when this controller holds a lease it may act under right now. */
  heldByMe: boolean;
}

export interface CycleResult {
  atMs: number;
  decision: Decision;
  /** What the cycle did about the decision. */
  outcome: "nothing" | "acted" | "waiting" | "escalated" | "lost-lease" | "error";
  /** Soft errors of this cycle (call and region named); retried next tick. */
  errors: string[];
  durationMs: number;
}

export interface ControllerStatus {
  application: string;
  /** The region this controller runs in (its observer identity). */
  region: Region;
  controllerId: string;
  activeRegion?: Region;
  /** The Aurora writer this controller acts on (controller/writer-trust.ts). */
  writerRegion?: Region;
  /** Each answering region's writer, as its RDS API names it, when they disagree (writer-disagreement). */
  writerClaims?: Record<Region, Region>;
  views: HealthView[];
  lag?: LagReading;
  lease: LeaseStatus;
  incident?: Incident;
  /** The incident's runbook state by state (done, running, to come), while it runs. */
  runbookProgress?: RunbookProgress;
  /** The controller's clock now (virtual in the sandbox): ages and elapsed times are measured against it. */
  nowMs?: number;
  /** The Step Functions execution acting for the incident (engine step-functions). */
  execution?: ExecutionView;
  lastDecision?: Decision;
  lastCycle?: CycleResult;
  cycles: number;
  /** False until the config is loaded and the store has answered once. */
  ready: boolean;
  /** Why the controller is not acting, when it is not (e.g. "another controller holds the lease"). */
  notes: string[];
}

export interface Controller {
  tick(): Promise<CycleResult>;
  status(): ControllerStatus;
  /** Answers a pending approval gate of the incident's runbook. */
  approve(incidentId: string): Promise<void>;
  reject(incidentId: string, reason: string): Promise<void>;
  /** The latest incidents in the store, newest first (the status page's history). */
  listIncidents?(limit: number): Promise<Incident[]>;
  /** One incident and its runbook journal, for its timeline. */
  incidentDetail?(incidentId: string): Promise<{ incident: Incident; journal: JournalEntry[] } | undefined>;
  /** The operator's move (`failover --to`), `--force` included; absent in controllers that cannot move (tests' fakes). */
  failoverTo?(to: Region, mode: FailoverMode, opts?: FailoverOptions): Promise<ManualResult>;
  /** Finish or journal the step in flight, release the lease. */
  shutdown(): Promise<void>;
}
