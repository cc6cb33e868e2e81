// A runbook's progress as an operator follows it: the states of its path in
// order, each done (and how long it took), running (since when), failed, or
// still to come. The path comes from the definition (happyPath), so states
// to come are known before they run; states the run takes off that path (a
// compensation, a rollback) are inserted where they ran. Kept in memory by
// the engine for the run in flight and seeded from the journal when a run
// resumes another controller's incident, so steps done before a restart
// still read as done.

import type { JournalEntry } from "../core/index.js";
import type { Definition, State } from "./lint.js";
import type { PlannedStep } from "./path.js";

export type StepStatus = "done" | "running" | "failed" | "to-come";

export interface StepProgress {
  state: string;
  /** ASL type (Task, Wait, Succeed, Fail...). */
  type: string;
  status: StepStatus;
  /** First start of the state (a poll loop enters it again: runs counts the entries). */
  startedAtMs?: number;
  /** When its last run ended. */
  endedAtMs?: number;
  runs: number;
  action?: string;
  region?: string;
  /** The error of its last failed run, e.g. "Aurora.InvalidDBClusterStateFault". */
  error?: string;
}

export interface RunbookProgress {
  runbook: string;
  incidentId: string;
  startedAtMs: number;
  steps: StepProgress[];
}

/** Each state nested in a Map or Parallel, to the top-level state that runs it (what the path shows). */
export function nestedParents(def: Definition): Map<string, string> {
  const parents = new Map<string, string>();
  const walk = (states: Record<string, State>, top: string) => {
    for (const [name, state] of Object.entries(states)) {
      parents.set(name, top);
      const proc = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
      if (proc?.States) walk(proc.States, top);
      for (const b of (state.Branches as Definition[] | undefined) ?? []) walk(b.States, top);
    }
  };
  for (const [name, state] of Object.entries(def.States ?? {})) {
    const proc = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
    if (proc?.States) walk(proc.States, name);
    for (const b of (state.Branches as Definition[] | undefined) ?? []) walk(b.States, name);
  }
  return parents;
}

export class ProgressTracker {
  private readonly steps: StepProgress[];
  /** Index after which a state that is not on the planned path is inserted. */
  private lastRunIndex = -1;

  constructor(
    private readonly runbook: string,
    private readonly incidentId: string,
    planned: readonly PlannedStep[],
    private readonly startedAtMs: number,
    private readonly parents: ReadonlyMap<string, string> = new Map(),
  ) {
    this.steps = planned.map((p) => ({
      state: p.state, type: p.type, status: "to-come", runs: 0,
      ...(p.action !== undefined && { action: p.action }),
      ...(p.region !== undefined && { region: p.region }),
    }));
  }

  /** Replays a prior run's journal (a resumed incident): its steps keep their times. */
  seed(entries: readonly JournalEntry[]): void {
    for (const e of entries) {
      if (e.state === "") continue;
      if (e.phase === "before") this.begin(e.state, e.atMs);
      else if (e.phase === "after") this.end(e.state, e.atMs);
      else if (e.phase === "failed") this.end(e.state, e.atMs, e.error?.name ?? "failed");
    }
    // A step in flight when the prior run stopped is not running any more: this run starts it again.
    for (const s of this.steps) if (s.status === "running") s.status = s.endedAtMs !== undefined ? "done" : "to-come";
  }

  begin(state: string, atMs: number, type = "Task"): void {
    const step = this.find(state, type);
    // An inner state of a Map counts as one more run of the Map only when the Map was not running already.
    if (step.status !== "running" || !this.parents.has(state)) step.runs += 1;
    step.status = "running";
    step.startedAtMs ??= atMs;
    delete step.error;
    this.lastRunIndex = Math.max(this.lastRunIndex, this.steps.indexOf(step));
  }

  /** Ends the state's current run; `error` marks it failed (a retry may begin it again). */
  end(state: string, atMs: number, error?: string): void {
    const step = this.find(state, "Task");
    step.endedAtMs = atMs;
    step.status = error === undefined ? "done" : "failed";
    if (error !== undefined) step.error = error;
  }

  /** The run ended: a success reaches its Succeed state; a stop leaves no step running. */
  finish(atMs: number, error?: string): void {
    for (const s of this.steps) if (s.status === "running") this.end(s.state, atMs, error);
    if (error !== undefined) return;
    const terminal = this.steps.find((s) => s.type === "Succeed" && s.status === "to-come");
    if (terminal) Object.assign(terminal, { status: "done", startedAtMs: atMs, endedAtMs: atMs, runs: 1 });
  }

  /** A copy: the status document must not change under a serializer. */
  snapshot(): RunbookProgress {
    return { runbook: this.runbook, incidentId: this.incidentId, startedAtMs: this.startedAtMs, steps: this.steps.map((s) => ({ ...s })) };
  }

  private find(name: string, type: string): StepProgress {
    const state = this.parents.get(name) ?? name;
    const known = this.steps.find((s) => s.state === state);
    if (known) return known;
    const step: StepProgress = { state, type, status: "to-come", runs: 0 };
    this.steps.splice(this.lastRunIndex + 1, 0, step);
    return step;
  }
}
