// The controller as the daemon, the CLI and the simulator see it: one
// control cycle per tick, a read-only status snapshot, and the operator's
// levers. The implementation lives in cycle.ts and friends.

import type { Decision, FailoverMode, HealthView, Incident, LagReading, Region } from "../core/index.js";
import type { RunbookName, RunbookStatus } from "../runbooks/index.js";
import type { ExecutionView } from "./runbook-engine.js";

/** A manual move the controller refused before changing anything, and why. */
export class ManualRefused extends Error {
  constructor(message: string) {
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
  writerRegion?: Region;
  views: HealthView[];
  lag?: LagReading;
  lease: LeaseStatus;
  incident?: Incident;
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
  /** Finish or journal the step in flight, release the lease. */
  shutdown(): Promise<void>;
}
