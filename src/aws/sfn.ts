// Step Functions adapter: start and follow runbook executions in the target
// region, answer approval gates (task tokens), and deploy the runbooks as
// Standard state machines (exactly-once, history kept; reference/aws-apis.md).

import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type DescribeStateMachineCommandOutput,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import type { Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { ExecutionStatus, SfnApi } from "./ports.js";

const EXECUTION_STATUSES: ReadonlySet<string> = new Set<ExecutionStatus>([
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "ABORTED",
  "PENDING_REDRIVE",
]);

export function createSfnAdapter(client: SFNClient, region: Region): SfnApi {
  return {
    region,

    async startExecution({ stateMachineArn, name, input }) {
      const call = "states:StartExecution";
      const out = await awsCall(call, region, () => client.send(new StartExecutionCommand({ stateMachineArn, name, input })));
      if (!out.executionArn) throw invalidResponse(call, region, "response has no executionArn: the execution cannot be followed");
      return { executionArn: out.executionArn };
    },

    async describeExecution(executionArn) {
      const call = "states:DescribeExecution";
      const out = await awsCall(call, region, () => client.send(new DescribeExecutionCommand({ executionArn })));
      const status = out.status;
      // The controller branches on the status: an unknown one is not guessed.
      if (status === undefined || !EXECUTION_STATUSES.has(status)) {
        throw invalidResponse(call, region, `execution status is ${status === undefined ? "missing" : JSON.stringify(status)}`);
      }
      return {
        executionArn: out.executionArn ?? executionArn,
        status,
        ...(out.output !== undefined && { output: out.output }),
        ...(out.error !== undefined && { error: out.error }),
        ...(out.cause !== undefined && { cause: out.cause }),
        ...(out.startDate instanceof Date && { startMs: out.startDate.getTime() }),
        ...(out.stopDate instanceof Date && { stopMs: out.stopDate.getTime() }),
      };
    },

    async listExecutions({ stateMachineArn, status, maxPages }) {
      const call = "states:ListExecutions";
      const found: { executionArn: string; name: string; status: ExecutionStatus }[] = [];
      let nextToken: string | undefined;
      for (let page = 1; ; page++) {
        const input = { stateMachineArn, ...(status !== undefined && { statusFilter: status }), maxResults: 100, ...(nextToken !== undefined && { nextToken }) };
        const out = await awsCall(call, region, () => client.send(new ListExecutionsCommand(input)));
        if (!Array.isArray(out.executions)) throw invalidResponse(call, region, "response has no executions list");
        for (const [i, e] of out.executions.entries()) {
          if (typeof e.executionArn !== "string" || typeof e.name !== "string" || typeof e.status !== "string" || !EXECUTION_STATUSES.has(e.status)) {
            throw invalidResponse(call, region, `executions[${i}] lacks an ARN, a name or a known status`);
          }
          found.push({ executionArn: e.executionArn, name: e.name, status: e.status });
        }
        nextToken = typeof out.nextToken === "string" && out.nextToken !== "" ? out.nextToken : undefined;
        if (nextToken === undefined || maxPages === undefined) return found;
        // A caller that asked for every execution must not decide on part of them.
        if (page >= maxPages) throw invalidResponse(call, region, `more than ${maxPages} pages of executions of ${stateMachineArn}`, "TooManyExecutions");
      }
    },

    async getExecutionPosition(executionArn) {
      const call = "states:GetExecutionHistory";
      // Newest first, one small page: only where the execution is now matters here.
      const out = await awsCall(call, region, () =>
        client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 25, includeExecutionData: false })),
      );
      if (!Array.isArray(out.events)) throw invalidResponse(call, region, "response has no events list");
      const first = out.events[0];
      if (first === undefined) return {};
      if (typeof first.type !== "string") throw invalidResponse(call, region, "the newest history event has no type");
      const entered = out.events.find((e) => typeof e.type === "string" && e.type.endsWith("StateEntered"));
      if (!entered) return { lastEvent: first.type };
      const name = entered.stateEnteredEventDetails?.name;
      if (typeof name !== "string" || name === "") throw invalidResponse(call, region, `${entered.type} event ${String(entered.id)} names no state`);
      return {
        state: name,
        lastEvent: first.type,
        ...(entered.timestamp instanceof Date && !Number.isNaN(entered.timestamp.getTime()) && { enteredMs: entered.timestamp.getTime() }),
      };
    },

    async stopExecution({ executionArn, error, cause }) {
      await awsCall("states:StopExecution", region, () =>
        client.send(
          new StopExecutionCommand({
            executionArn,
            ...(error !== undefined && { error }),
            ...(cause !== undefined && { cause }),
          }),
        ),
      );
    },

    async sendTaskSuccess({ taskToken, output }) {
      await awsCall("states:SendTaskSuccess", region, () => client.send(new SendTaskSuccessCommand({ taskToken, output })));
    },

    async sendTaskFailure({ taskToken, error, cause }) {
      await awsCall("states:SendTaskFailure", region, () =>
        client.send(new SendTaskFailureCommand({ taskToken, error, ...(cause !== undefined && { cause }) })),
      );
    },

    async describeStateMachine(stateMachineArn) {
      const out = await awsCall("states:DescribeStateMachine", region, async (): Promise<DescribeStateMachineCommandOutput | { absent: true }> => {
        try {
          return await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
        } catch (err) {
          // "Not deployed yet" is an answer, not a failure: deploy creates it.
          if (err instanceof Error && err.name === "StateMachineDoesNotExist") return { absent: true };
          throw err;
        }
      });
      if ("absent" in out) return undefined;
      return { arn: out.stateMachineArn ?? stateMachineArn, definition: out.definition ?? "", roleArn: out.roleArn ?? "" };
    },

    async createStateMachine({ name, definition, roleArn }) {
      const call = "states:CreateStateMachine";
      const out = await awsCall(call, region, () =>
        client.send(new CreateStateMachineCommand({ name, definition, roleArn, type: "STANDARD" })),
      );
      if (!out.stateMachineArn) throw invalidResponse(call, region, "response has no stateMachineArn");
      return { arn: out.stateMachineArn };
    },

    async updateStateMachine({ arn, definition, roleArn }) {
      await awsCall("states:UpdateStateMachine", region, () =>
        client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition, roleArn })),
      );
    },
  };
}
