// The local engine: runs a runbook's ASL in-process with
// aws-local-stepfunctions, each Task bound to an aws/ adapter call in the
// right region, every wait on the Clock (virtual time in the simulator), and
// every Task journaled before and after under the fencing epoch so a crashed
// run resumes without repeating a non-idempotent step or skipping the verify.
//
// Three things the library does with real timers are moved onto the Clock:
// Wait states are run as local tasks that sleep on the Clock; Retry backoff
// is set to 0 in the library and slept here before a retried call; Task
// TimeoutSeconds is raced on the Clock (the library's own real timer stays
// as a backstop and is cleared when the task settles).

import { AwsCallError, type Clock, type Journal, type JournalEntry } from "../core/index.js";
import type { AwsAdapters } from "../aws/index.js";
import { bindings, type Invoke } from "./bind.js";
import type { RunbookInput } from "./input.js";
import { allStates, type Definition, type State } from "./lint.js";
import { localStateMachine } from "./local-machine.js";
import { happyPath } from "./path.js";
import { ProgressTracker, nestedParents, type RunbookProgress } from "./progress.js";
import { RUNBOOK_RESOURCES } from "./resources.js";

export type RunbookName = "failover" | "switchover" | "failback";
export type RunbookStatus = "succeeded" | "escalated" | "stuck" | "lost-lease" | "rejected" | "approval-timed-out" | "aborted";

export interface RunbookCall {
  state: string;
  action: string;
  region: string;
  epoch: number;
  replayed?: boolean;
}

export interface RunbookResult {
  status: RunbookStatus;
  error?: string;
  cause?: string;
  output?: unknown;
  calls: RunbookCall[];
}

const WAIT_RESOURCE = "arn:aws:states:::local:wait";
/**
 * The journal entries of the latest earlier runs of this incident that made
 * this same move (runbook, from and target), with no other move since: only
 * those may stand in for a once-only step. An incident can be tried again
 * with another target (the first one died meanwhile) or by an operator's
 * manual move; a promotion journaled as done for one target says nothing
 * about another, nor about the same target once another was promoted after
 * it (A→B, then A→C, then A→B again must promote B again).
 */
export function sameMove(entries: readonly JournalEntry[], runbook: string, input: RunbookInput): JournalEntry[] {
  let out: JournalEntry[] = [];
  let same = false;
  // In seq order, as Journal.read returns them.
  for (const e of entries) {
    if (e.phase === "started") {
      const i = e.input as Partial<RunbookInput> | undefined;
      same = e.runbook === runbook && i?.targetRegion === input.targetRegion && i.fromRegion === input.fromRegion;
      if (!same) out = [];
    }
    if (same) out.push(e);
  }
  return out;
}

/** A journal write is tried this many times (1 s, 2 s, 4 s, ... apart, at most 8 s) before the run fails. */
const JOURNAL_ATTEMPTS = 6;
const JOURNAL_MAX_BACKOFF_MS = 8_000;
/** How a runbook's terminal error names map to run statuses (both engines read this one table). */
export const FAIL_STATUS: Readonly<Record<string, RunbookStatus>> = {
  "Runbook.Escalated": "escalated",
  "Runbook.PromotionStuck": "stuck",
  "Fencing.LostLease": "lost-lease",
  "Approval.Rejected": "rejected",
  "Approval.TimedOut": "approval-timed-out",
};

/** A journal call, retried on transient AWS errors (1 s, 2 s, 4 s ... apart, at most 8 s) before it fails the run. */
async function retryTransient<T>(call: () => Promise<T>, clock: Clock, aborted: () => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (aborted() || attempt >= JOURNAL_ATTEMPTS || !(err instanceof AwsCallError && err.retryable)) throw err;
      await clock.sleep(Math.min(JOURNAL_MAX_BACKOFF_MS, 1_000 * 2 ** (attempt - 1)));
    }
  }
}

/** A write of the control record conditional on the runbook's epoch (a fence, or a fenced write). */
function epochConditioned(state: State): boolean {
  const condition = (state.Parameters as { ConditionExpression?: unknown } | undefined)?.ConditionExpression;
  return typeof condition === "string" && /\bepoch\s*=\s*:epoch\b/.test(condition);
}

/** A pure fence: it only proves the epoch (SET fencedEpoch), nothing else depends on its write. */
function isFence(state: State): boolean {
  const update = (state.Parameters as { UpdateExpression?: unknown } | undefined)?.UpdateExpression;
  return epochConditioned(state) && typeof update === "string" && /^SET fencedEpoch = :epoch$/.test(update.trim());
}

class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
  /** The run whose gate this is. */
  run: RunMark;
}

/** One run's identity; `ended` once its result is settled (a gate registered after that would answer nothing). */
interface RunMark {
  ended: boolean;
}

export class LocalRunbookEngine {
  private readonly invoke: Readonly<Record<string, Invoke>>;
  private readonly approvals = new Map<string, Pending>();
  /** The approval gates' state names in the runbooks this engine ran (gatePassedBefore). */
  private readonly approvalStates = new Set<string>();

  constructor(
    private readonly deps: {
      adapters: AwsAdapters;
      clock: Clock;
      journal: Journal;
      /**
       * Send every Task to this region instead of the one resources.ts names:
       * what a deployed execution does (Step Functions' SDK integrations call
       * the state machine's own region). The simulated Step Functions uses it.
       */
      callRegion?: string;
      /** Game-day saboteur `no-fence` only. */
      skipFences?: boolean;
    },
  ) {
    this.invoke = bindings(deps.adapters, deps.clock);
  }

  private async ownEntry(entry: JournalEntry): Promise<boolean> {
    const found = (await this.deps.journal.read(entry.incidentId).catch(() => [])).find((e) => e.seq === entry.seq);
    return found !== undefined && found.epoch === entry.epoch && found.state === entry.state && found.phase === entry.phase;
  }

  /** Answers the approval gate of a running incident. */
  approve(incidentId: string): boolean {
    const p = this.approvals.get(incidentId);
    p?.resolve();
    return p !== undefined;
  }

  reject(incidentId: string, reason: string): boolean {
    const p = this.approvals.get(incidentId);
    p?.reject(new TaskError("Approval.Rejected", reason));
    return p !== undefined;
  }

  /**
   * Whether a run of the incident went past its approval gate: any journaled
   * state other than the gate itself (the gate waits again in a new run, so
   * only the journal tells). True when the journal cannot be read.
   */
  async gatePassedBefore(incidentId: string): Promise<boolean> {
    const entries = await this.deps.journal.read(incidentId).catch(() => undefined);
    if (!entries) return true;
    return entries.some((e) => e.state !== "" && !this.approvalStates.has(e.state));
  }

  awaitingApproval(incidentId: string): boolean {
    return this.approvals.has(incidentId);
  }

  /** Runs (or resumes, from the journal) one runbook execution. */
  run(runbook: RunbookName, definition: Definition, input: RunbookInput): { result: Promise<RunbookResult>; abort: () => void; progress: () => RunbookProgress } {
    let abortFn: () => void = () => undefined;
    let aborted = false;
    const { clock } = this.deps;
    // The path from the definition, so the states to come are shown before they run.
    const tracker = new ProgressTracker(runbook, input.incidentId, happyPath(definition, input), clock.now(), nestedParents(definition));
    const self: RunMark = { ended: false };
    const result = (async (): Promise<RunbookResult> => {
      const { journal } = this.deps;
      const journaled = await retryTransient(() => journal.read(input.incidentId), clock, () => aborted);
      const prior = sameMove(journaled, runbook, input);
      tracker.seed(prior);
      let seq = journaled.reduce((m, e) => Math.max(m, e.seq + 1), 0);
      const calls: RunbookCall[] = [];
      const write = async (e: Omit<JournalEntry, "incidentId" | "epoch" | "seq" | "runbook" | "atMs">) => {
        const entry = { incidentId: input.incidentId, epoch: input.epoch, seq: seq++, runbook, atMs: clock.now(), ...e };
        // The journal lives in the control table: a transient error writing it is retried
        // (retryTransient) instead of failing the whole run as an engine error.
        let attempt = 0;
        await retryTransient(async () => {
          attempt++;
          try {
            await journal.append(entry);
          } catch (err) {
            // Saboteur no-fence: journal entries are conditional on the epoch too; it writes on regardless.
            if (this.deps.skipFences) return;
            // A retry after a timed-out append that did land finds the entry there: if it is
            // ours (same epoch, state and phase) it is written. Anyone else's is a concurrent
            // run of the same incident, and that stops this one.
            if (attempt > 1 && (await this.ownEntry(entry))) return;
            throw err;
          }
        }, clock, () => aborted);
      };
      await write({ state: "", phase: "started", input });
      const localDef = structuredClone(definition);
      const handlers: Record<string, (i: unknown) => Promise<unknown>> = {};
      const retryOverrides: Record<string, number> = {};
      let last: { state: string; error?: Error; attempts: number } | undefined;

      for (const { name, state } of allStates(localDef)) {
        if (state.Type === "Wait") {
          const seconds = state.Seconds;
          const secondsPath = state.SecondsPath;
          for (const k of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]) delete state[k];
          Object.assign(state, { Type: "Task", Resource: WAIT_RESOURCE, TimeoutSeconds: 86_400 });
          handlers[name] = async (i) => {
            const s = typeof seconds === "number" ? seconds : Number(resolvePath(i, String(secondsPath)));
            tracker.begin(name, clock.now(), "Wait");
            await clock.sleep(Math.max(0, s) * 1000);
            tracker.end(name, clock.now());
            return i;
          };
          continue;
        }
        if (state.Type !== "Task") continue;
        const resource = String(state.Resource);
        const spec = RUNBOOK_RESOURCES[resource];
        const call = this.invoke[resource];
        if (!spec || !call) throw new Error(`runbook ${runbook}: state ${name} uses ${resource}, which the local engine cannot bind`);
        if (spec.kind === "approval") this.approvalStates.add(name);
        if (Array.isArray(state.Retry)) retryOverrides[name] = 0;
        if (this.deps.skipFences && isFence(state)) {
          handlers[name] = (i) => Promise.resolve(i);
          continue;
        }
        // Saboteur no-fence: a fenced write (recording the active region) still writes, without its epoch check.
        const unfenced = this.deps.skipFences === true && epochConditioned(state);
        const timeoutMs = Number(state.TimeoutSeconds ?? 60) * 1000;
        handlers[name] = async (i) => {
          const params = (i ?? {}) as Record<string, unknown>;
          if (unfenced) delete params.ConditionExpression;
          // Retry backoff on the Clock: the library retries with a 0 interval.
          if (last?.state === name && last.error) {
            last.attempts += 1;
            await clock.sleep(backoffMs(state, last.error.name, last.attempts));
          } else last = { state: name, attempts: 0 };
          const region = this.deps.callRegion ?? spec.region(input, params);
          await write({ state: name, phase: "before", input: params });
          tracker.begin(name, clock.now());
          try {
            const replay = spec.kind === "once" ? await this.replayOrReconcile(prior, name, resource, input) : undefined;
            let output: unknown;
            if (replay !== undefined) {
              output = replay;
              calls.push({ state: name, action: spec.action, region, epoch: input.epoch, replayed: true });
            } else {
              calls.push({ state: name, action: spec.action, region, epoch: input.epoch });
              output = await this.withClockTimeout(timeoutMs, spec.kind === "approval" ? this.gate(input, self, () => call(region, params, input)) : call(region, params, input));
            }
            await write({ state: name, phase: "after", output });
            tracker.end(name, clock.now());
            last = { state: name, attempts: 0 };
            return output;
          } catch (err) {
            const e = toTaskError(err, spec.errorPrefix);
            tracker.end(name, clock.now(), aborted ? "aborted" : e.name);
            if (aborted) throw e;
            await write({ state: name, phase: "failed", error: { name: e.name, message: e.message } });
            last = { state: name, error: e, attempts: last?.state === name ? last.attempts : 0 };
            throw e;
          }
        };
      }

      const machine = localStateMachine(localDef);
      const execution = machine.run(input, {
        overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retryOverrides },
        noThrowOnAbort: true,
        context: { Task: { Token: `${input.incidentId}/${input.epoch}` }, Execution: { Id: input.incidentId, Name: input.incidentId } },
      });
      abortFn = () => {
        aborted = true;
        execution.abort();
      };
      try {
        const output = await execution.result;
        if (aborted || output === null) return (tracker.finish(clock.now(), "aborted"), { status: "aborted", calls });
        await write({ state: "", phase: "finished", output });
        tracker.finish(clock.now());
        return { status: "succeeded", output, calls };
      } catch (err) {
        if (aborted) return (tracker.finish(clock.now(), "aborted"), { status: "aborted", calls });
        const { error, cause } = executionError(err);
        tracker.finish(clock.now(), error);
        await write({ state: "", phase: "finished", error: { name: error, message: cause ?? "" } });
        return { status: FAIL_STATUS[error] ?? "escalated", error, ...(cause !== undefined && { cause }), calls };
      }
    })().finally(() => {
      // A gate that timed out, or whose run was aborted, waits no more: an answer to it after
      // that must be told so (false), not reported as approved while nothing runs.
      self.ended = true;
      if (this.approvals.get(input.incidentId)?.run === self) this.approvals.delete(input.incidentId);
    });
    return { result, abort: () => abortFn(), progress: () => tracker.snapshot() };
  }

  /** A once-only step already done (journaled) or in doubt (before, no after) but visibly applied. */
  private async replayOrReconcile(prior: JournalEntry[], state: string, resource: string, input: RunbookInput): Promise<unknown> {
    const mine = prior.filter((e) => e.state === state);
    const done = mine.find((e) => e.phase === "after");
    if (done) return done.output ?? {};
    const lastEntry = mine.at(-1);
    if (lastEntry?.phase !== "before") return undefined;
    // In doubt: the call may have reached AWS before the crash. Read before repeating.
    if (resource.includes(":rds:")) {
      const g = await this.deps.adapters.region(input.targetRegion).aurora.describeGlobalCluster(input.globalClusterId);
      const applied = g.failoverState?.toClusterArn === input.targetClusterArn || g.members.some((m) => m.isWriter && m.clusterArn === input.targetClusterArn);
      return applied ? {} : undefined;
    }
    return undefined;
  }

  private gate(input: RunbookInput, run: RunMark, put: () => Promise<unknown>): Promise<unknown> {
    return put().then(
      () =>
        new Promise((resolve, reject) => {
          // Aborted while the token was being written: its slot would outlive it.
          if (run.ended) return;
          this.approvals.set(input.incidentId, {
            run,
            resolve: () => (this.approvals.delete(input.incidentId), resolve({})),
            reject: (e) => (this.approvals.delete(input.incidentId), reject(e)),
          });
        }),
    );
  }

  private async withClockTimeout<T>(ms: number, p: Promise<T>): Promise<T> {
    const timeout = this.deps.clock.sleep(ms).then(() => {
      throw new TaskError("States.Timeout", `no answer within ${ms / 1000}s`);
    });
    timeout.catch(() => undefined);
    return Promise.race([p, timeout]);
  }
}

function toTaskError(err: unknown, prefix: string): Error {
  if (err instanceof TaskError) return err;
  if (err instanceof AwsCallError) {
    if (err.code === "TimeoutError") return new TaskError("States.Timeout", err.message);
    return new TaskError(err.code ? `${prefix}.${err.code}` : err.retryable ? "Aws.Transient" : "States.TaskFailed", err.message);
  }
  return new TaskError("States.TaskFailed", err instanceof Error ? err.message : String(err));
}

function executionError(err: unknown): { error: string; cause?: string } {
  const e = err as { name?: string; message?: string; cause?: { name?: string; message?: string; cause?: unknown } };
  const inner = e.cause ?? {};
  const error = inner.name && inner.name !== "Error" ? inner.name : (e.name ?? "States.Runtime");
  const cause = typeof inner.cause === "string" ? inner.cause : (inner.message ?? e.message);
  return { error, ...(cause !== undefined && { cause }) };
}

/** Interval the matching retrier would wait before attempt `attempt` (1-based). */
function backoffMs(state: State, errorName: string, attempt: number): number {
  const retriers = (state.Retry as { ErrorEquals: string[]; IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number }[] | undefined) ?? [];
  const r = retriers.find((x) => x.ErrorEquals.includes(errorName) || x.ErrorEquals.includes("States.ALL"));
  if (!r) return 0;
  const seconds = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  return Math.min(seconds, r.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
}

function resolvePath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}
