// `runbooks.engine: step-functions`: the runbook runs as an execution of the
// deployed state machine in the target region, started under the lease with
// the fencing epoch in its input, and this process only follows it
// (DescribeExecution each poll, the current state from GetExecutionHistory).
// The execution outlives the process: stopping the daemon stops following,
// never the execution.
//
// Takeover (docs/runbooks.md, "Step Functions engine"): a new lease holder
// does not follow the previous holder's execution, because winning the lease
// bumped the epoch and that execution's next fence fails anyway. It adopts a
// previous execution that already SUCCEEDED; otherwise it stops every
// RUNNING execution of the incident, waits until none runs, and starts its
// own, named after the incident and the new epoch. The runbooks are safe to
// start again from the top, so a completed promotion is skipped, not redone.
//
// Errors: a state machine missing or different from runbooks/, or a start
// refused, is an escalation naming the call, region and error, never a
// silent fall-back to the local engine. DescribeExecution and
// GetExecutionHistory failures (garbage answers included) are soft: the
// next poll tries again.

import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { AwsAdapters, ExecutionDescription, ExecutionPosition, SfnApi } from "../aws/index.js";
import type { Config } from "../config/index.js";
import type { Clock, Region } from "../core/index.js";
import { FAIL_STATUS, sameJson, stateMachineArn, type Definition, type RunbookInput, type RunbookName, type RunbookResult } from "../runbooks/index.js";
import type { ExecutionView, RunContext, RunbookEngine } from "./runbook-engine.js";

/** How often a followed execution's target kill switch is written again (the runbooks' RefreshTarget: every 4 polls of 15 s). */
const KILL_SWITCH_REFRESH_MS = 60_000;

export type FollowerEvent = (event: string, detail: Record<string, unknown>) => void;

export interface SfnFollowerOptions {
  config: Config;
  adapters: AwsAdapters;
  clock: Clock;
  definitions: Record<RunbookName, Definition>;
  /** This controller's control-table region (where it reads approval tokens). */
  controlRegion: Region;
  /** How often a running execution is described (the control cycle's interval). */
  pollMs: number;
  events?: FollowerEvent;
  /** Stop following (not the execution) after this long; default 1 h. */
  maxFollowMs?: number;
  /** Give up on an execution whose region has not answered for this long; default 5 min. */
  unreachableMs?: number;
}

const SUPERSEDED = "Failover.Superseded";
const START_ATTEMPTS = 3;
/** Pages of ListExecutions (100 each) gatePassedBefore reads before it gives up telling. */
const GATE_LIST_PAGES = 10;
/** How long a stopped previous execution may take to leave RUNNING before the start is deferred. */
const STOP_WAIT_POLLS = 6;

/** Executions one incident may start under one epoch (retries after a failed run). */
const MAX_ATTEMPTS_PER_EPOCH = 50;

/** Execution names: [A-Za-z0-9-_], at most 80 characters; one per incident, epoch and attempt. */
export function executionName(incidentId: string, epoch: number, attempt = 1): string {
  const suffix = `-e${epoch}${attempt > 1 ? `-r${attempt}` : ""}`;
  return incidentId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80 - suffix.length) + suffix;
}

export const executionArnOf = (machineArn: string, name: string) => `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`;

export const consoleUrl = (region: string, executionArn: string) =>
  `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;

const text = (err: unknown) => (err instanceof Error ? err.message : String(err));
const retryable = (err: unknown) => typeof err === "object" && err !== null && (err as { retryable?: unknown }).retryable === true;
const escalated = (error: string, cause: string): RunbookResult => ({ status: "escalated", error, cause, calls: [] });

export class StepFunctionsFollower implements RunbookEngine {
  readonly kind = "step-functions";
  private current?: ExecutionView;
  /** incident -> target region of a gate this process started (approvals go to that region). */
  private readonly gates = new Map<string, Region>();
  /** incident -> where its current execution runs, for gatePassedBefore. */
  private readonly runs = new Map<string, { sfn: SfnApi; machineArn: string; runbook: RunbookName; name: string }>();

  constructor(private readonly opts: SfnFollowerOptions) {}

  execution(): ExecutionView | undefined {
    return this.current && { ...this.current };
  }

  run(runbook: RunbookName, input: RunbookInput, ctx: RunContext = {}): { result: Promise<RunbookResult>; abort: () => void } {
    let aborted = false;
    const result = this.drive(runbook, input, ctx, () => aborted);
    return { result, abort: () => void (aborted = true) };
  }

  /**
   * Whether another execution of the incident (an earlier attempt, or the
   * one a takeover superseded) entered a state past its approval gate: read
   * from each one's history, since a new execution waits at the gate again
   * whatever the old ones did. True when it cannot be told.
   */
  async gatePassedBefore(incidentId: string): Promise<boolean> {
    const run = this.runs.get(incidentId);
    if (!run) return true;
    const before = beforeGate(this.opts.definitions[run.runbook]);
    const prefix = executionName(incidentId, 0).slice(0, -1);
    try {
      // Every execution of the machine (drills and other incidents too), not the newest page alone: an
      // earlier attempt past it would read as nothing done. More than GATE_LIST_PAGES pages: cannot tell.
      const others = (await run.sfn.listExecutions({ stateMachineArn: run.machineArn, maxPages: GATE_LIST_PAGES })).filter((e) => e.name.startsWith(prefix) && e.name !== run.name);
      for (const e of others) {
        // Anything but the gate and the states around it (the Choice before it, its Fail
        // exits) may have acted; so may an execution whose history shows no state.
        const { state } = await run.sfn.getExecutionPosition(e.executionArn);
        if (state === undefined || !before.has(state)) return true;
      }
      return false;
    } catch {
      return true;
    }
  }

  private emit(event: string, detail: Record<string, unknown>): void {
    this.opts.events?.(event, detail);
  }

  private async drive(runbook: RunbookName, base: RunbookInput, ctx: RunContext, aborted: () => boolean): Promise<RunbookResult> {
    const { config, adapters } = this.opts;
    // A failover runs in the target region (FailoverGlobalCluster is called there); a
    // switchover or failback in the current primary's, where SwitchoverGlobalCluster is
    // called (docs/runbooks.md) and which is up by definition of a planned move.
    const target = runbook === "failover" ? base.targetRegion : base.fromRegion;
    const sfn = adapters.region(target).sfn;
    const machineArn = stateMachineArn({ accountId: config.accountId, prefix: config.runbooks.stateMachinePrefix ?? "" }, target, runbook);
    // The execution fences on the control table from its own region (an MRSC replica there).
    const input: RunbookInput = { ...base, control: { ...base.control, region: target } };
    const first = executionArnOf(machineArn, executionName(input.incidentId, input.epoch));
    // Until this run's execution is named, gatePassedBefore cannot tell which one is ours.
    this.runs.delete(input.incidentId);
    this.current = { incidentId: input.incidentId, executionArn: first, region: target, status: "STARTING", consoleUrl: consoleUrl(target, first) };
    if (input.approval.required) this.gates.set(input.incidentId, target);

    const deployed = await this.checkDeployed(sfn, machineArn, runbook);
    if (deployed) return deployed;
    const slot = await this.slot(sfn, machineArn, input);
    if ("result" in slot) return slot.result;
    const { name } = slot;
    this.runs.set(input.incidentId, { sfn, machineArn, runbook, name });
    const arn = executionArnOf(machineArn, name);
    this.current = { ...this.current, executionArn: arn, consoleUrl: consoleUrl(target, arn) };
    if (!slot.running) {
      const previous = await this.supersede(sfn, machineArn, input, name, ctx, aborted);
      if (previous) return previous;
      if (aborted()) return { status: "aborted", calls: [] };
      // Cross-region step the execution cannot do from the target region: best effort,
      // not awaited (an unreachable old region would hold the start for a timeout).
      if (runbook === "failover") void this.killSwitch(input.fromRegion, 0);
      const started = await this.start(sfn, machineArn, name, input);
      if (started) return started;
    }
    this.emit("runbook.execution", { incident: input.incidentId, runbook, executionArn: arn, region: target, epoch: input.epoch, consoleUrl: this.current.consoleUrl });
    // A planned move runs in the old primary's region: the target's kill switch (its
    // health check, i.e. the traffic flip) is out of its reach, so the controller sets
    // it once the execution has reached EnableTarget, and again every minute while it
    // runs (the runbook's own refresh lands in the wrong region's CloudWatch, and one
    // datapoint goes stale after the alarm's missing-data periods).
    const enableFrom = runbook === "failover" ? undefined : statesFrom(this.opts.definitions[runbook], "EnableTarget");
    let enabledAtMs: number | undefined;
    const onState = async (state: string | undefined) => {
      if (!enableFrom || state === undefined || !enableFrom.has(state)) return;
      const now = this.opts.clock.now();
      if (enabledAtMs !== undefined && now - enabledAtMs < KILL_SWITCH_REFRESH_MS) return;
      enabledAtMs = now;
      await this.killSwitch(input.targetRegion, 1);
    };
    const r = await this.follow(sfn, arn, aborted, onState);
    if (r.status === "succeeded") {
      enabledAtMs = undefined;
      await onState("EnableTarget");
    }
    return r;
  }

  /**
   * The execution this run is: `<incident>-e<epoch>`, or, when that one
   * already ended without success (the incident is being retried under the
   * same epoch), the next `-r<n>`. A name that is RUNNING is followed (a
   * restarted process, or a retried start); a SUCCEEDED one is adopted.
   */
  private async slot(sfn: SfnApi, machineArn: string, input: RunbookInput): Promise<{ name: string; running: boolean } | { result: RunbookResult }> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS_PER_EPOCH; attempt++) {
      const name = executionName(input.incidentId, input.epoch, attempt);
      const arn = executionArnOf(machineArn, name);
      let d: ExecutionDescription;
      try {
        d = await sfn.describeExecution(arn);
      } catch (err) {
        if ((err as { code?: unknown }).code === "ExecutionDoesNotExist") return { name, running: false };
        return { result: escalated("Runbook.StartFailed", `cannot tell whether ${arn} exists, so nothing is started: ${text(err)}`) };
      }
      if (d.status === "RUNNING" || d.status === "PENDING_REDRIVE") return { name, running: true };
      if (d.status === "SUCCEEDED") return { result: this.adopt(arn, d) };
    }
    return { result: escalated("Runbook.StartFailed", `${MAX_ATTEMPTS_PER_EPOCH} executions of ${input.incidentId} under epoch ${input.epoch} already ended without success`) };
  }

  /** The state machine must exist in the target region and run exactly the runbook of runbooks/. */
  private async checkDeployed(sfn: SfnApi, machineArn: string, runbook: RunbookName): Promise<RunbookResult | undefined> {
    let deployed;
    try {
      deployed = await sfn.describeStateMachine(machineArn);
    } catch (err) {
      return escalated("Runbook.StartFailed", text(err));
    }
    if (!deployed) return escalated("Runbook.StartFailed", `states:DescribeStateMachine in ${sfn.region}: ${machineArn} does not exist (run \`failover runbooks deploy\`)`);
    if (!sameJson(deployed.definition, JSON.stringify(this.opts.definitions[runbook]))) {
      return escalated("Runbook.StartFailed", `states:DescribeStateMachine in ${sfn.region}: the definition of ${machineArn} differs from runbooks/${runbook}.asl.json (run \`failover runbooks deploy\`)`);
    }
    return undefined;
  }

  /**
   * Before starting under a new epoch: adopt the previous epoch's execution if
   * it succeeded; stop every other running execution of the incident and
   * wait until none runs, so two executions never mutate at once.
   */
  private async supersede(sfn: SfnApi, machineArn: string, input: RunbookInput, mine: string, ctx: RunContext, aborted: () => boolean): Promise<RunbookResult | undefined> {
    const prefix = executionName(input.incidentId, 0).slice(0, -1);
    const adoptable = (d: ExecutionDescription) => d.status === "SUCCEEDED" && d.executionArn !== executionArnOf(machineArn, mine);
    if (ctx.previousEpoch !== undefined && ctx.previousEpoch !== input.epoch) {
      const prev = executionArnOf(machineArn, executionName(input.incidentId, ctx.previousEpoch));
      const d = await sfn.describeExecution(prev).catch(() => undefined);
      if (d && adoptable(d)) return this.adopt(prev, d);
    }
    for (let poll = 0; ; poll++) {
      let running;
      try {
        running = (await sfn.listExecutions({ stateMachineArn: machineArn, status: "RUNNING" })).filter((e) => e.name.startsWith(prefix) && e.name !== mine);
      } catch (err) {
        return escalated("Runbook.StartFailed", `cannot tell whether a previous execution of ${input.incidentId} still runs, so none is started: ${text(err)}`);
      }
      if (running.length === 0) return undefined;
      if (poll >= STOP_WAIT_POLLS || aborted()) {
        return escalated("Runbook.StartFailed", `${running.map((e) => e.executionArn).join(", ")} still RUNNING after StopExecution: not starting a second one`);
      }
      for (const e of running) {
        await sfn.stopExecution({ executionArn: e.executionArn, error: SUPERSEDED, cause: `the lease moved to epoch ${input.epoch}; the incident goes on in ${mine}` }).catch(() => undefined);
        this.emit("runbook.execution.stopped", { incident: input.incidentId, executionArn: e.executionArn, reason: `superseded by epoch ${input.epoch}` });
        // It may have finished before the stop: a completed run is adopted, not repeated.
        const d = await sfn.describeExecution(e.executionArn).catch(() => undefined);
        if (d && adoptable(d)) return this.adopt(e.executionArn, d);
      }
      await this.opts.clock.sleep(this.opts.pollMs / 2);
    }
  }

  private adopt(arn: string, d: ExecutionDescription): RunbookResult {
    this.current = { ...this.current!, executionArn: arn, status: d.status, consoleUrl: consoleUrl(this.current!.region, arn) };
    this.emit("runbook.execution.adopted", { executionArn: arn });
    return { status: "succeeded", output: parseOutput(d.output), calls: [] };
  }

  /** StartExecution, retried on transient errors; idempotent because the name is. */
  private async start(sfn: SfnApi, machineArn: string, name: string, input: RunbookInput): Promise<RunbookResult | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sfn.startExecution({ stateMachineArn: machineArn, name, input: JSON.stringify(input) });
        this.current = { ...this.current!, status: "RUNNING" };
        return undefined;
      } catch (err) {
        if (!retryable(err) || attempt >= START_ATTEMPTS) return escalated("Runbook.StartFailed", text(err));
        await this.opts.clock.sleep(2_000 * 2 ** (attempt - 1));
      }
    }
  }

  private async follow(sfn: SfnApi, arn: string, aborted: () => boolean, onState: (state: string | undefined) => Promise<void>): Promise<RunbookResult> {
    const { clock } = this.opts;
    const deadline = clock.now() + (this.opts.maxFollowMs ?? 3_600_000);
    const unreachableMs = this.opts.unreachableMs ?? 5 * 60_000;
    let lastSeenMs = clock.now();
    for (;;) {
      await clock.sleep(this.opts.pollMs);
      if (aborted()) return { status: "aborted", calls: [] };
      let d: ExecutionDescription;
      try {
        d = await sfn.describeExecution(arn);
        lastSeenMs = clock.now();
      } catch (err) {
        this.current = { ...this.current!, lastError: text(err) };
        // Its region is gone: stop waiting on it (the controller moves the epoch on, so it is fenced if it resumes).
        if (clock.now() - lastSeenMs >= unreachableMs) return escalated("Runbook.ExecutionUnreachable", `${arn} has not answered for ${Math.round(unreachableMs / 60_000)} min (last error: ${text(err)}); it was not stopped`);
        if (clock.now() >= deadline) return escalated("Runbook.FollowTimedOut", `${arn} has not been seen to end (last error: ${text(err)}); it was not stopped`);
        continue;
      }
      const { lastError: _gone, ...view } = this.current!;
      this.current = { ...view, status: d.status };
      const ended = settle(arn, d);
      if (ended) return ended;
      try {
        const p = await sfn.getExecutionPosition(arn);
        this.current = { ...this.current, ...(p.state !== undefined && { state: p.state }), ...(p.enteredMs !== undefined && { stateSinceMs: p.enteredMs }) };
        await onState(p.state);
      } catch (err) {
        this.current = { ...this.current, lastError: text(err) };
      }
      if (clock.now() >= deadline) return escalated("Runbook.FollowTimedOut", `${arn} still RUNNING after ${Math.round((this.opts.maxFollowMs ?? 3_600_000) / 60_000)} min; it was not stopped`);
    }
  }

  /** Best effort, from this controller's region: the old region's kill switch (the execution cannot reach it). */
  private async killSwitch(region: Region, value: number): Promise<void> {
    const t = this.opts.config.traffic;
    if (t.strategy !== "health-check") return;
    await this.opts.adapters
      .region(region)
      .cloudwatch.putMetricData({ namespace: t.killSwitch.namespace, data: [{ metricName: t.killSwitch.metricName, dimensions: { Region: region }, value, timestampMs: this.opts.clock.now(), unit: "Count" }] })
      .catch((err: unknown) => this.emit("runbook.best-effort-failed", { step: "drain-old-region", region, error: text(err) }));
  }

  approve(incidentId: string): Promise<boolean> {
    return this.answer(incidentId, true, "");
  }

  reject(incidentId: string, reason: string): Promise<boolean> {
    return this.answer(incidentId, false, reason);
  }

  /** The gate's task token is in the control table; the answer goes to the execution's region. */
  private async answer(incidentId: string, approved: boolean, reason: string): Promise<boolean> {
    const token = await readApprovalToken(this.opts.adapters, this.opts.config, this.opts.controlRegion, incidentId);
    if (!token) return false;
    const sfn = this.opts.adapters.region(token.targetRegion ?? this.gates.get(incidentId) ?? this.opts.config.regions[0]!).sfn;
    if (approved) await sfn.sendTaskSuccess({ taskToken: token.taskToken, output: "{}" });
    else await sfn.sendTaskFailure({ taskToken: token.taskToken, error: "Approval.Rejected", cause: reason });
    return true;
  }
}

/** The approval gate's token as the runbook stored it (pk approval#app, sk incident). */
export async function readApprovalToken(adapters: AwsAdapters, config: Config, controlRegion: Region, incidentId: string): Promise<{ taskToken: string; targetRegion?: string } | undefined> {
  const item = await adapters.region(controlRegion).dynamodb.getItem({
    tableName: config.coordination.table,
    key: { pk: { S: `approval#${config.application}` }, sk: { S: incidentId } },
    consistentRead: true,
  });
  if (!item) return undefined;
  const v = unmarshall(item) as { taskToken?: unknown; targetRegion?: unknown };
  if (typeof v.taskToken !== "string" || v.taskToken === "") return undefined;
  return { taskToken: v.taskToken, ...(typeof v.targetRegion === "string" && { targetRegion: v.targetRegion }) };
}

/** A closed execution as the controller's RunbookResult; undefined while it runs. */
function settle(arn: string, d: ExecutionDescription): RunbookResult | undefined {
  switch (d.status) {
    case "RUNNING":
    case "PENDING_REDRIVE":
      return undefined;
    case "SUCCEEDED":
      return { status: "succeeded", output: parseOutput(d.output), calls: [] };
    case "FAILED": {
      const error = d.error ?? "States.Failed";
      return { status: FAIL_STATUS[error] ?? "escalated", error, ...(d.cause !== undefined && { cause: d.cause }), calls: [] };
    }
    case "ABORTED":
      // Stopped by someone else (an operator, `failover stop`): a person owns the incident now.
      return escalated("Execution.Aborted", `${arn} was stopped${d.error ? ` (${d.error}${d.cause ? `: ${d.cause}` : ""})` : ""}`);
    case "TIMED_OUT":
      return escalated("Execution.TimedOut", `${arn} timed out`);
  }
}

/**
 * The states an execution may be in without having passed an approval gate:
 * StartAt, each gate (a Task waiting for its token), and the states only a
 * gate's failures lead to (Rejected, ApprovalTimedOut; not Escalate, which
 * every later step's failure reaches too).
 */
function beforeGate(def: Definition): Set<string> {
  const isGate = (s: AslState) => typeof s.Resource === "string" && s.Resource.endsWith(".waitForTaskToken");
  const reachedByOthers = new Set(Object.values(def.States).filter((s) => !isGate(s)).flatMap(nextStates));
  const before = new Set<string>([def.StartAt]);
  for (const [name, state] of Object.entries(def.States)) {
    if (!isGate(state)) continue;
    before.add(name);
    for (const c of (state.Catch as { Next?: unknown }[] | undefined) ?? []) if (typeof c.Next === "string" && !reachedByOthers.has(c.Next)) before.add(c.Next);
  }
  return before;
}

/** `from` and every state reachable from it (Next, Default, Choices, Catch), but the Fail states. */
function statesFrom(def: Definition, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const name = todo.pop()!;
    const state = def.States[name];
    if (seen.has(name) || !state || state.Type === "Fail") continue;
    seen.add(name);
    todo.push(...nextStates(state));
  }
  return seen;
}

type AslState = Definition["States"][string];

/** The states a state can go to: Next, Default, its Choices' and its Catchers' Next. */
function nextStates(state: AslState): string[] {
  const next = [state.Next, state.Default, ...((state.Choices as { Next?: unknown }[] | undefined) ?? []).map((c) => c.Next), ...((state.Catch as { Next?: unknown }[] | undefined) ?? []).map((c) => c.Next)];
  return next.filter((n): n is string => typeof n === "string");
}

function parseOutput(output: string | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The running execution of an incident, looked up in AWS (a process that is
 * not the one following it: `failover status`, another region's daemon).
 */
export async function lookupExecution(adapters: AwsAdapters, config: Config, incident: { id: string; to?: string; runbook?: string }): Promise<ExecutionView | undefined> {
  if (!incident.to || !incident.runbook) return undefined;
  const sfn = adapters.region(incident.to).sfn;
  const machine = stateMachineArn({ accountId: config.accountId, prefix: config.runbooks.stateMachinePrefix ?? "" }, incident.to, incident.runbook);
  const prefix = executionName(incident.id, 0).slice(0, -1);
  const running = (await sfn.listExecutions({ stateMachineArn: machine, status: "RUNNING" })).find((e) => e.name.startsWith(prefix));
  if (!running) return undefined;
  const p: ExecutionPosition = await sfn.getExecutionPosition(running.executionArn).catch(() => ({}));
  return {
    incidentId: incident.id, executionArn: running.executionArn, region: incident.to, status: running.status, consoleUrl: consoleUrl(incident.to, running.executionArn),
    ...(p.state !== undefined && { state: p.state }), ...(p.enteredMs !== undefined && { stateSinceMs: p.enteredMs }),
  };
}
