// Step Functions in the simulated world: enough for the runbooks (deploy,
// start/describe/stop, task tokens). Executions are Standard workflows run
// in the world's virtual time by the project's ASL machinery (the local
// engine on aws-local-stepfunctions), their AWS calls made from the state
// machine's region, so partitions and outages shape them as they would on
// AWS. What is modeled (reference/aws-apis.md, Step Functions):
//   - StartExecution is idempotent per name with the same input, and
//     ExecutionAlreadyExists with another input (Standard workflows).
//   - DescribeExecution reports RUNNING, SUCCEEDED, FAILED or ABORTED with
//     output, error and cause; StopExecution aborts a running execution.
//   - The approval gate's `.waitForTaskToken` answers to SendTaskSuccess and
//     SendTaskFailure; an unknown or spent token is InvalidToken.
// Not modeled: execution history, TIMED_OUT, redrive, versions and aliases;
// and tasks call the regions the local engine's bindings name, where real
// Step Functions calls its own region (docs/runbooks.md).
// An outage of the execution's own region freezes its in-flight call for
// good (Step Functions would resume it); the runbooks run in the failover
// target, which is healthy when they start.

import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { createAwsAdapters, type AwsAdapters } from "../aws/index.js";
import { MemoryJournal, type Clock } from "../core/index.js";
import { LocalRunbookEngine, type Definition, type RunbookInput, type RunbookName, type RunbookResult } from "../runbooks/index.js";
import { simDecorator } from "./middleware.js";
import type { World } from "./world.js";

type Input = Record<string, unknown>;
const META = { $metadata: {} };

interface Machine {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  createdMs: number;
}

interface Execution {
  arn: string;
  machineArn: string;
  name: string;
  input: string;
  incidentId: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  startMs: number;
  stopMs?: number;
  output?: string;
  error?: string;
  cause?: string;
  engine: LocalRunbookEngine;
  abort: () => void;
}

export class SimStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly clock: Clock,
    /** SDK-backed adapters whose calls originate from `region`. */
    private readonly adaptersFrom: (region: string) => AwsAdapters,
  ) {}

  answer(region: string, command: string, input: Input): unknown {
    switch (command) {
      case "CreateStateMachineCommand": return this.create(region, input);
      case "DescribeStateMachineCommand": {
        const m = this.machine(input.stateMachineArn);
        return { stateMachineArn: m.arn, name: m.name, definition: m.definition, roleArn: m.roleArn, type: "STANDARD", status: "ACTIVE", creationDate: new Date(m.createdMs) };
      }
      case "UpdateStateMachineCommand": {
        const m = this.machine(input.stateMachineArn);
        if (typeof input.definition === "string") m.definition = input.definition;
        if (typeof input.roleArn === "string") m.roleArn = input.roleArn;
        return { updateDate: new Date(this.clock.now()) };
      }
      case "StartExecutionCommand": return this.start(input);
      case "DescribeExecutionCommand": {
        const e = this.execution(input.executionArn);
        return {
          executionArn: e.arn, stateMachineArn: e.machineArn, name: e.name, status: e.status, input: e.input, startDate: new Date(e.startMs),
          ...(e.stopMs !== undefined && { stopDate: new Date(e.stopMs) }),
          ...(e.output !== undefined && { output: e.output }),
          ...(e.error !== undefined && { error: e.error }),
          ...(e.cause !== undefined && { cause: e.cause }),
        };
      }
      case "StopExecutionCommand": {
        const e = this.execution(input.executionArn);
        if (e.status === "RUNNING") {
          this.settle(e, { status: "ABORTED", ...(typeof input.error === "string" && { error: input.error }), ...(typeof input.cause === "string" && { cause: input.cause }) });
          e.abort();
        }
        return { stopDate: new Date(e.stopMs ?? this.clock.now()) };
      }
      case "SendTaskSuccessCommand":
      case "SendTaskFailureCommand": {
        const e = this.waitingFor(input.taskToken);
        const answered = command === "SendTaskSuccessCommand" ? e.engine.approve(e.incidentId) : e.engine.reject(e.incidentId, typeof input.cause === "string" ? input.cause : "rejected");
        if (!answered) throw new InvalidToken({ message: "the task token is not waiting", ...META });
        return {};
      }
      default:
        throw new Error(`the simulated Step Functions does not model ${command}`);
    }
  }

  private create(region: string, input: Input): unknown {
    const name = String(input.name);
    const arn = `arn:aws:states:${region}:111122223333:stateMachine:${name}`;
    const existing = [...this.machines.values()].find((m) => m.name === name && m.arn.split(":")[3] === region);
    if (existing) {
      // Idempotent with the same definition and role; a conflict otherwise.
      if (existing.definition === input.definition && existing.roleArn === input.roleArn) return { stateMachineArn: existing.arn, creationDate: new Date(existing.createdMs) };
      throw new StateMachineAlreadyExists({ message: `state machine ${name} already exists`, ...META });
    }
    this.machines.set(arn, { arn, name, definition: String(input.definition), roleArn: String(input.roleArn), createdMs: this.clock.now() });
    return { stateMachineArn: arn, creationDate: new Date(this.clock.now()) };
  }

  private start(input: Input): unknown {
    const m = this.machine(input.stateMachineArn);
    const name = String(input.name);
    const arn = `${m.arn.replace(":stateMachine:", ":execution:")}:${name}`;
    const text = typeof input.input === "string" ? input.input : "{}";
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.input === text) return { executionArn: arn, startDate: new Date(existing.startMs) };
      throw new ExecutionAlreadyExists({ message: `execution ${name} already exists with another input`, ...META });
    }
    const runbookInput = JSON.parse(text) as RunbookInput;
    const region = m.arn.split(":")[3] ?? "";
    // Each execution keeps its own history (the journal the engine resumes from).
    const engine = new LocalRunbookEngine({ adapters: this.adaptersFrom(region), clock: this.clock, journal: new MemoryJournal() });
    const runbook = (m.name.split("-").at(-1) ?? "failover") as RunbookName;
    const run = engine.run(runbook, JSON.parse(m.definition) as Definition, runbookInput);
    const e: Execution = { arn, machineArn: m.arn, name, input: text, incidentId: runbookInput.incidentId, status: "RUNNING", startMs: this.clock.now(), engine, abort: run.abort };
    this.executions.set(arn, e);
    run.result.then(
      (r) => this.finish(e, r),
      (err: unknown) => this.settle(e, { status: "FAILED", error: "States.Runtime", cause: err instanceof Error ? err.message : String(err) }),
    );
    return { executionArn: arn, startDate: new Date(e.startMs) };
  }

  private finish(e: Execution, r: RunbookResult): void {
    if (r.status === "succeeded") this.settle(e, { status: "SUCCEEDED", output: JSON.stringify(r.output ?? {}) });
    else if (r.status === "aborted") this.settle(e, { status: "ABORTED" });
    else this.settle(e, { status: "FAILED", error: r.error ?? r.status, ...(r.cause !== undefined && { cause: r.cause }) });
  }

  private settle(e: Execution, end: Pick<Execution, "status"> & Partial<Pick<Execution, "output" | "error" | "cause">>): void {
    if (e.status !== "RUNNING") return;
    Object.assign(e, end, { stopMs: this.clock.now() });
  }

  private machine(arn: unknown): Machine {
    const m = this.machines.get(String(arn));
    if (!m) throw new StateMachineDoesNotExist({ message: `state machine ${String(arn)} does not exist`, ...META });
    return m;
  }

  private execution(arn: unknown): Execution {
    const e = this.executions.get(String(arn));
    if (!e) throw new ExecutionDoesNotExist({ message: `execution ${String(arn)} does not exist`, ...META });
    return e;
  }

  /** The running execution a task token belongs to (the local engine's tokens are `incident/epoch`). */
  private waitingFor(token: unknown): Execution {
    const text = String(token);
    const incidentId = text.slice(0, Math.max(0, text.lastIndexOf("/")));
    const e = [...this.executions.values()].find((x) => x.status === "RUNNING" && x.incidentId === incidentId && x.engine.awaitingApproval(x.incidentId));
    if (!e) throw new InvalidToken({ message: "invalid or spent task token", ...META });
    return e;
  }
}

/** Gives the world its Step Functions, executions calling from their own region on `clock`. */
export function attachStepFunctions(world: World, clock: Clock): SimStepFunctions {
  const credentials = { accessKeyId: "AKIDSIMULATED", secretAccessKey: "simulated" };
  world.sfn = new SimStepFunctions(clock, (region) =>
    createAwsAdapters({
      env: {}, credentials, maxAttempts: 1, cacheMiddleware: true,
      decorate: simDecorator(world, { region, alive: () => !world.faults.regionDown(region, "controller") }, clock),
    }),
  );
  return world.sfn;
}
