// The seam between the control cycle and whatever runs its runbooks:
// `runbooks.engine: local` runs them in-process (aws-local-stepfunctions,
// journaled in the control table); `step-functions` starts them as
// executions of the deployed state machines in the target region and
// follows them (sfn-follower.ts). The controller sees one interface and the
// same RunbookResult either way, so incident states, events, metrics and
// escalations do not depend on the engine.

import type { Region } from "../core/index.js";
import type { ExecutionStatus } from "../aws/index.js";
import type { Definition, LocalRunbookEngine, RunbookInput, RunbookName, RunbookProgress, RunbookResult } from "../runbooks/index.js";

/** A running Step Functions execution as /status and `failover status` show it. */
export interface ExecutionView {
  incidentId: string;
  executionArn: string;
  region: Region;
  /** STARTING until StartExecution answered. */
  status: ExecutionStatus | "STARTING";
  /** The newest state entered, from the execution history. */
  state?: string;
  /** When that state was entered. */
  stateSinceMs?: number;
  consoleUrl: string;
  /** The last soft error following it (DescribeExecution/GetExecutionHistory), if the last poll failed. */
  lastError?: string;
}

export interface RunContext {
  /** The epoch the incident ran under before this run (a takeover), if any. */
  previousEpoch?: number;
}

export interface RunbookEngine {
  readonly kind: "local" | "step-functions";
  /** Starts (or resumes) an incident's runbook; `abort` stops this process following or running it. */
  run(runbook: RunbookName, input: RunbookInput, ctx?: RunContext): { result: Promise<RunbookResult>; abort: () => void; progress?: () => RunbookProgress };
  /** Answers the approval gate of the incident's runbook; false when no gate of it waits here. */
  approve(incidentId: string): Promise<boolean>;
  reject(incidentId: string, reason: string): Promise<boolean>;
  /** The execution being followed (step-functions only). */
  execution(): ExecutionView | undefined;
  /**
   * Whether a run of the incident went past its approval gate (and so may
   * have moved traffic or the writer): a new run waits at the gate again
   * whatever the earlier ones did. True when that cannot be told.
   */
  gatePassedBefore(incidentId: string): Promise<boolean>;
}

/** The in-process engine behind the seam: its journal, resume and approval gate as they were. */
export function localRunbookEngine(engine: LocalRunbookEngine, definitions: Record<RunbookName, Definition>): RunbookEngine {
  return {
    kind: "local",
    run: (runbook, input) => engine.run(runbook, definitions[runbook], input),
    approve: (incidentId) => Promise.resolve(engine.approve(incidentId)),
    reject: (incidentId, reason) => Promise.resolve(engine.reject(incidentId, reason)),
    execution: () => undefined,
    gatePassedBefore: (incidentId) => engine.gatePassedBefore(incidentId),
  };
}
