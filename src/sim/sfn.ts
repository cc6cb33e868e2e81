// Step Functions in the simulated world: enough for the runbooks (deploy,
// start/describe/stop, task tokens). Executions are Standard workflows run
// in the world's virtual time by the project's ASL machinery (the local
// engine on aws-local-stepfunctions), their AWS calls made from the state
// machine's region, so partitions and outages shape them as they would on
// AWS. What is modeled (reference/aws-apis.md, Step Functions):
//   - StartExecution is idempotent per name with the same input while the
//     execution runs, and ExecutionAlreadyExists once it is closed or with
//     another input (Standard workflows).
//   - DescribeExecution reports RUNNING, SUCCEEDED, FAILED or ABORTED with
//     output, error and cause; StopExecution aborts a running execution.
//   - The approval gate's `.waitForTaskToken` answers to SendTaskSuccess and
//     SendTaskFailure; an unknown or spent token is InvalidToken.
//   - SDK tasks call the state machine's own region, whatever region the
//     local engine's bindings would name (reference/aws-apis.md): a fence on
//     a control table with no replica there fails, as it would on AWS.
//   - GetExecutionHistory: TaskStateEntered/Exited/Failed per Task state
//     (Choice, Pass and Wait states leave no entry here), framed by
//     ExecutionStarted and the closing event.
//   - An outage of the execution's own region pauses it: its calls, Wait
//     states, retry backoff and task timeouts wait until the region is back,
//     then go on (a call in flight may time out and be retried then).
// Not modeled: TIMED_OUT, redrive, versions and aliases.

import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { createAwsAdapters, type AwsAdapters } from "../aws/index.js";
import { MemoryJournal, type Clock, type JournalEntry } from "../core/index.js";
import { LocalRunbookEngine, type Definition, type RunbookInput, type RunbookName, type RunbookResult } from "../runbooks/index.js";
import { simDecorator } from "./middleware.js";
import { shippedRunbooks } from "./real-controller.js";
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
  history: HistoryEvent[];
}

interface HistoryEvent {
  id: number;
  type: string;
  atMs: number;
  name?: string;
}

/** The engine's journal, seen as Step Functions history events of the execution. */
class HistoryJournal extends MemoryJournal {
  constructor(
    private readonly history: HistoryEvent[],
    private readonly clock: Clock,
  ) {
    super();
  }

  override append(entry: JournalEntry): Promise<void> {
    const type = entry.phase === "before" ? "TaskStateEntered" : entry.phase === "after" ? "TaskStateExited" : entry.phase === "failed" ? "TaskFailed" : undefined;
    if (type) this.history.push({ id: this.history.length + 1, type, atMs: this.clock.now(), name: entry.state });
    return super.append(entry);
  }
}

export class SimStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();

  constructor(
    private readonly clock: Clock,
    /** SDK-backed adapters whose calls originate from `region`. */
    private readonly adaptersFrom: (region: string) => AwsAdapters,
    /** Whether Step Functions in `region` is down (its executions pause). */
    private readonly regionDown: (region: string) => boolean = () => false,
  ) {}

  /** The clock an execution in `region` runs on: nothing it waits for ends while its region is down. */
  private executionClock(region: string): Clock {
    const { clock, regionDown } = this;
    return {
      now: () => clock.now(),
      sleep: async (ms, cancel) => {
        await clock.sleep(ms, cancel);
        while (regionDown(region)) await clock.sleep(1_000);
      },
    };
  }

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
      case "ListExecutionsCommand": {
        const m = this.machine(input.stateMachineArn);
        const list = [...this.executions.values()].filter((e) => e.machineArn === m.arn && (input.statusFilter === undefined || e.status === input.statusFilter)).reverse();
        return { executions: list.map((e) => ({ executionArn: e.arn, stateMachineArn: e.machineArn, name: e.name, status: e.status, startDate: new Date(e.startMs) })) };
      }
      case "GetExecutionHistoryCommand": {
        const e = this.execution(input.executionArn);
        const ordered = input.reverseOrder === true ? [...e.history].reverse() : e.history;
        const max = typeof input.maxResults === "number" && input.maxResults > 0 ? input.maxResults : 100;
        return {
          events: ordered.slice(0, max).map((h) => ({
            id: h.id, type: h.type, timestamp: new Date(h.atMs),
            ...(h.type.endsWith("StateEntered") && { stateEnteredEventDetails: { name: h.name } }),
            ...(h.type.endsWith("StateExited") && { stateExitedEventDetails: { name: h.name } }),
          })),
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

  /** For tests: every execution with its history, in start order, read without an API call. */
  executionsOf(incidentId: string): { arn: string; name: string; status: Execution["status"]; startMs: number; stopMs?: number; history: readonly HistoryEvent[] }[] {
    return [...this.executions.values()]
      .filter((e) => e.incidentId === incidentId)
      .map((e) => ({ arn: e.arn, name: e.name, status: e.status, startMs: e.startMs, ...(e.stopMs !== undefined && { stopMs: e.stopMs }), history: e.history }));
  }

  /** For tests and the sandbox: an execution's status and newest state entered, read without an API call. */
  positionOf(executionArn: string): { status: Execution["status"]; state?: string } | undefined {
    const e = this.executions.get(executionArn);
    if (!e) return undefined;
    const entered = [...e.history].reverse().find((h) => h.type.endsWith("StateEntered"));
    return { status: e.status, ...(entered?.name !== undefined && { state: entered.name }) };
  }

  /** A state machine that exists before the scenario starts (deployed out of band). */
  deploy(region: string, m: { name: string; definition: string; roleArn: string; accountId: string }): void {
    const arn = `arn:aws:states:${region}:${m.accountId}:stateMachine:${m.name}`;
    this.machines.set(arn, { arn, name: m.name, definition: m.definition, roleArn: m.roleArn, createdMs: this.clock.now() });
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
      // Idempotent only while it runs; a closed execution's name is spent.
      if (existing.input === text && existing.status === "RUNNING") return { executionArn: arn, startDate: new Date(existing.startMs) };
      throw new ExecutionAlreadyExists({ message: `execution ${name} already exists ${existing.status === "RUNNING" ? "with another input" : `and is ${existing.status}`}`, ...META });
    }
    const runbookInput = JSON.parse(text) as RunbookInput;
    const region = m.arn.split(":")[3] ?? "";
    // Each execution keeps its own history; every task calls the machine's own region.
    const history: HistoryEvent[] = [{ id: 1, type: "ExecutionStarted", atMs: this.clock.now() }];
    const engine = new LocalRunbookEngine({ adapters: this.adaptersFrom(region), clock: this.executionClock(region), journal: new HistoryJournal(history, this.clock), callRegion: region });
    const runbook = (m.name.split("-").at(-1) ?? "failover") as RunbookName;
    const run = engine.run(runbook, JSON.parse(m.definition) as Definition, runbookInput);
    const e: Execution = { arn, machineArn: m.arn, name, input: text, incidentId: runbookInput.incidentId, status: "RUNNING", startMs: this.clock.now(), engine, abort: run.abort, history };
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
    const closing = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", ABORTED: "ExecutionAborted", RUNNING: "" }[end.status];
    e.history.push({ id: e.history.length + 1, type: closing, atMs: this.clock.now() });
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
  world.sfn = new SimStepFunctions(clock, (region) => {
    const sim = simDecorator(world, { region, alive: () => true }, clock);
    return createAwsAdapters({
      env: {}, credentials, maxAttempts: 1, cacheMiddleware: true,
      decorate: (client, service, target) => {
        sim(client, service, target);
        // Step Functions in `region` is down: its executions wait for it to come back.
        client.middlewareStack.add(
          (next) => async (args) => {
            while (world.faults.regionDown(region, "controller")) await clock.sleep(1_000);
            return next(args);
          },
          { step: "initialize", priority: "high", name: "simulatedStepFunctionsPause", override: true },
        );
      },
    });
  }, (region) => world.faults.regionDown(region, "controller"));
  // The account as `failover runbooks deploy` left it, when the controllers run them there.
  const { runbooks, accountId } = world.config;
  if (runbooks.engine === "step-functions" && runbooks.stateMachinePrefix && runbooks.roleArn) {
    for (const region of world.apps) {
      for (const [name, definition] of Object.entries(shippedRunbooks())) {
        world.sfn.deploy(region, { name: `${runbooks.stateMachinePrefix}-${name}`, definition: JSON.stringify(definition), roleArn: runbooks.roleArn, accountId });
      }
    }
  }
  return world.sfn;
}
