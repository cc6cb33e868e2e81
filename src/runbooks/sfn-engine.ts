// The Step Functions engine: the same runbooks, deployed, started in the
// target region and followed there. The execution is named after the
// incident, so a restarted controller that starts it again gets the same
// execution (StartExecution is idempotent for Standard workflows with the
// same name and input) instead of a second failover.

import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AwsAdapters } from "../aws/index.js";
import type { Clock } from "../core/index.js";
import type { RunbookInput } from "./input.js";
import type { RunbookName, RunbookResult, RunbookStatus } from "./local-engine.js";

const FAIL_STATUS: Record<string, RunbookStatus> = {
  "Runbook.PromotionStuck": "stuck",
  "Fencing.LostLease": "lost-lease",
  "Approval.Rejected": "rejected",
  "Approval.TimedOut": "approval-timed-out",
};

export interface SfnEngineOptions {
  adapters: AwsAdapters;
  clock: Clock;
  stateMachineArn: (region: string, runbook: RunbookName) => string;
  pollMs?: number;
  /** Give up following (not the execution itself) after this long. */
  maxFollowMs?: number;
}

export class StepFunctionsEngine {
  constructor(private readonly opts: SfnEngineOptions) {}

  async run(runbook: RunbookName, input: RunbookInput): Promise<RunbookResult> {
    const { adapters, clock } = this.opts;
    const region = input.targetRegion;
    const sfn = adapters.region(region).sfn;
    const { executionArn } = await sfn.startExecution({
      stateMachineArn: this.opts.stateMachineArn(region, runbook),
      name: input.incidentId,
      input: JSON.stringify(input),
    });
    const deadline = clock.now() + (this.opts.maxFollowMs ?? 30 * 60_000);
    for (;;) {
      const d = await sfn.describeExecution(executionArn);
      if (d.status === "SUCCEEDED") return { status: "succeeded", output: d.output ? (JSON.parse(d.output) as unknown) : undefined, calls: [] };
      if (d.status !== "RUNNING" && d.status !== "PENDING_REDRIVE") {
        const error = d.error ?? d.status;
        return { status: FAIL_STATUS[error] ?? "escalated", error, ...(d.cause !== undefined && { cause: d.cause }), calls: [] };
      }
      if (clock.now() >= deadline) return { status: "escalated", error: "Runbook.FollowTimedOut", cause: `${executionArn} still RUNNING`, calls: [] };
      await clock.sleep(this.opts.pollMs ?? 5_000);
    }
  }

  /** Answers the approval gate: the token was stored in the control table by the runbook. */
  async answer(input: Pick<RunbookInput, "application" | "incidentId" | "targetRegion" | "control">, approved: boolean, reason = "rejected by an operator"): Promise<void> {
    const { adapters } = this.opts;
    const item = await adapters.region(input.control.region).dynamodb.getItem({
      tableName: input.control.table,
      key: { pk: { S: `approval#${input.application}` }, sk: { S: input.incidentId } },
      consistentRead: true,
    });
    const token = item ? (unmarshall(item) as { taskToken?: string }).taskToken : undefined;
    if (!token) throw new Error(`incident ${input.incidentId} has no approval gate waiting`);
    const sfn = adapters.region(input.targetRegion).sfn;
    if (approved) await sfn.sendTaskSuccess({ taskToken: token, output: "{}" });
    else await sfn.sendTaskFailure({ taskToken: token, error: "Approval.Rejected", cause: reason });
  }
}
