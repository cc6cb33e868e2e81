// Step Functions, minimal (the local runbook engine is the default): state
// machines can be created, described and updated; executions can be
// started (idempotent for the same name and input, as for Standard
// workflows), described and stopped, and task tokens answered. Executions
// are recorded, not interpreted: one stays RUNNING until stopped. A
// scenario that deploys runbooks to Step Functions therefore exercises the
// calls, not the runbook itself (the local engine does that).

import type { Region } from "../../core/index.js";
import { sfnErrors, unsupported } from "../errors.js";
import { str, type CallContext, type Input } from "./call-context.js";
import type { WorldCore } from "./core.js";

interface StateMachine {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  createdMs: number;
}

interface Execution {
  arn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  startMs: number;
  stopMs?: number;
  error?: string;
  cause?: string;
}

export class SfnModel {
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, Execution>();
  /** Task tokens handed out by a running execution (none are, as executions are not interpreted). */
  private readonly tokens = new Map<string, { answered: boolean }>();

  constructor(private readonly core: WorldCore) {}

  private machineArn(region: Region, name: string): string {
    return `arn:aws:states:${region}:${this.core.config.accountId}:stateMachine:${name}`;
  }

  handle(command: string, input: Input, ctx: CallContext): unknown {
    switch (command) {
      case "CreateStateMachine": {
        const name = str(input.name) ?? "";
        const arn = this.machineArn(ctx.region, name);
        this.machines.set(arn, { arn, name, definition: str(input.definition) ?? "", roleArn: str(input.roleArn) ?? "", createdMs: this.core.now() });
        return { stateMachineArn: arn, creationDate: new Date(this.core.now()) };
      }
      case "DescribeStateMachine": {
        const m = this.machine(str(input.stateMachineArn), ctx);
        return { stateMachineArn: m.arn, name: m.name, definition: m.definition, roleArn: m.roleArn, type: "STANDARD", status: "ACTIVE", creationDate: new Date(m.createdMs) };
      }
      case "UpdateStateMachine": {
        const m = this.machine(str(input.stateMachineArn), ctx);
        if (str(input.definition) !== undefined) m.definition = str(input.definition)!;
        if (str(input.roleArn) !== undefined) m.roleArn = str(input.roleArn)!;
        return { updateDate: new Date(this.core.now()) };
      }
      case "StartExecution":
        return this.start(input, ctx);
      case "DescribeExecution": {
        const e = this.execution(str(input.executionArn), ctx);
        return {
          executionArn: e.arn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          input: e.input,
          startDate: new Date(e.startMs),
          ...(e.stopMs !== undefined && { stopDate: new Date(e.stopMs) }),
          ...(e.error !== undefined && { error: e.error }),
          ...(e.cause !== undefined && { cause: e.cause }),
        };
      }
      case "StopExecution": {
        const e = this.execution(str(input.executionArn), ctx);
        if (e.status === "RUNNING") {
          e.status = "ABORTED";
          e.stopMs = this.core.now();
          if (str(input.error) !== undefined) e.error = str(input.error)!;
          if (str(input.cause) !== undefined) e.cause = str(input.cause)!;
        }
        return { stopDate: new Date(e.stopMs ?? this.core.now()) };
      }
      case "SendTaskSuccess":
      case "SendTaskFailure": {
        const token = str(input.taskToken) ?? "";
        const t = this.tokens.get(token);
        if (!t || t.answered) throw sfnErrors.taskDoesNotExist(`Task does not exist for token ${token}`, ctx.requestId);
        t.answered = true;
        return {};
      }
      default:
        throw unsupported("sfn", command, ctx.requestId);
    }
  }

  private machine(arn: string | undefined, ctx: CallContext): StateMachine {
    const m = arn === undefined ? undefined : this.machines.get(arn);
    if (!m || !arn?.includes(`:${ctx.region}:`)) throw sfnErrors.stateMachineDoesNotExist(`State Machine Does Not Exist: '${String(arn)}'`, ctx.requestId);
    return m;
  }

  private execution(arn: string | undefined, ctx: CallContext): Execution {
    const e = arn === undefined ? undefined : this.executions.get(arn);
    if (!e || !arn?.includes(`:${ctx.region}:`)) throw sfnErrors.executionDoesNotExist(`Execution Does Not Exist: '${String(arn)}'`, ctx.requestId);
    return e;
  }

  private start(input: Input, ctx: CallContext): unknown {
    const m = this.machine(str(input.stateMachineArn), ctx);
    const name = str(input.name) ?? `exec-${this.executions.size + 1}`;
    const arn = `arn:aws:states:${ctx.region}:${this.core.config.accountId}:execution:${m.name}:${name}`;
    const body = str(input.input) ?? "{}";
    const existing = this.executions.get(arn);
    if (existing) {
      // Standard workflows: same name and input is idempotent; anything else is refused.
      if (existing.input === body && existing.status === "RUNNING") return { executionArn: arn, startDate: new Date(existing.startMs) };
      throw sfnErrors.executionAlreadyExists(`Execution Already Exists: '${arn}'`, ctx.requestId);
    }
    this.executions.set(arn, { arn, stateMachineArn: m.arn, name, input: body, status: "RUNNING", startMs: this.core.now() });
    this.core.log("sfn.execution.start", { region: ctx.region, execution: name });
    return { executionArn: arn, startDate: new Date(this.core.now()) };
  }
}
