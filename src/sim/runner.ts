// Runs one scenario in virtual time and judges it: builds the world from
// the scenario's config and settings, schedules the faults, starts the
// controllers, runs the event queue to the end, then compares what the
// clients measured with the expectations. Same scenario + same seed ->
// the same verdict, byte for byte.

import { formatDurationMs } from "../core/index.js";
import { ClientsModel } from "./clients-model.js";
import { defaultControllerFactory, noController, type NamedControllerFactory } from "./controller-port.js";
import { AdapterPool, ControllerHost } from "./controllers.js";
import { Measure, type Measured } from "./measure.js";
import type { AnswerPoint } from "./middleware.js";
import { SIM_EPOCH_MS, Scheduler } from "./scheduler.js";
import type { CountRange, Expectations, Fault, Scenario, TimelineEvent } from "./types.js";
import { World } from "./world/world.js";

export interface Verdict {
  scenario: string;
  seed: number;
  /** Which controller ran ("none" = the built-in no-op). */
  controller: string;
  passed: boolean;
  measured: Measured;
  violations: string[];
  timeline: TimelineEvent[];
}

export interface RunOptions {
  controller?: NamedControllerFactory | undefined;
  /** Overrides the scenario's seed. */
  seed?: number | undefined;
  answerAt?: AnswerPoint | undefined;
  /** SDK clients to reuse across runs (a sweep); a private pool is made and destroyed otherwise. */
  pool?: AdapterPool | undefined;
}

/** The fault as the timeline shows it: its kind and own fields, in file order. */
export function describeFault(f: Fault): Record<string, unknown> {
  const { atMs: _a, untilMs: _u, index: _i, ...rest } = f;
  const detail: Record<string, unknown> = { ...rest };
  if (f.kind === "region-outage") {
    delete detail.allServices;
    if (f.allServices) delete detail.services;
  }
  return detail;
}

export async function runScenario(scenario: Scenario, opts: RunOptions = {}): Promise<Verdict> {
  const factory = opts.controller ?? defaultControllerFactory();
  const seed = opts.seed ?? scenario.seed;
  const sched = new Scheduler(SIM_EPOCH_MS);
  const world = new World(sched, scenario.world, scenario.config, seed);
  const clients = new ClientsModel(world);
  const measure = new Measure(world, clients, scenario.faults);
  sched.afterBatch = () => measure.update();

  for (const f of scenario.faults) {
    sched.at(SIM_EPOCH_MS + f.atMs, () => {
      world.core.log("fault.start", describeFault(f));
      world.core.startFault(f);
    });
    if (f.untilMs !== undefined) {
      sched.at(SIM_EPOCH_MS + f.untilMs, () => {
        world.core.log("fault.end", { kind: f.kind, ...("region" in f && f.region !== undefined && { region: f.region }) });
        world.core.endFault(f);
      });
    }
  }

  const ownPool = factory !== noController && opts.pool === undefined ? new AdapterPool(opts.answerAt) : undefined;
  const pool = opts.pool ?? ownPool;
  let host: ControllerHost | undefined;
  if (factory !== noController && pool) {
    pool.binding.world = world;
    host = new ControllerHost(world, measure, factory, pool);
    host.start();
  }
  try {
    await sched.runUntil(SIM_EPOCH_MS + scenario.durationMs);
  } finally {
    host?.shutdown();
    if (pool) pool.binding.world = undefined;
    ownPool?.destroy();
  }
  const measured = measure.finish();
  const violations = evaluate(scenario.expect, measured);
  return {
    scenario: scenario.name,
    seed,
    controller: factory.name,
    passed: violations.length === 0,
    measured,
    violations,
    timeline: world.core.timeline,
  };
}

function countViolation(what: string, actual: number, expected: number | CountRange | undefined): string | undefined {
  if (expected === undefined) return undefined;
  if (typeof expected === "number") return actual === expected ? undefined : `${what} ${actual}, expected ${expected}`;
  if (expected.min !== undefined && actual < expected.min) return `${what} ${actual}, expected at least ${expected.min}`;
  if (expected.max !== undefined && actual > expected.max) return `${what} ${actual}, expected at most ${expected.max}`;
  return undefined;
}

/** One string per broken expectation (specs/gameday.md wording). */
export function evaluate(e: Expectations, m: Measured): string[] {
  const out: (string | undefined)[] = [];
  if (e.rtoMs !== undefined && m.rtoMs > e.rtoMs) {
    out.push(`rto ${formatDurationMs(m.rtoMs)} exceeds expected ${formatDurationMs(e.rtoMs)}${m.unresolvedIncident ? " (clients still failing at the end)" : ""}`);
  }
  if (e.rpoMs !== undefined && m.rpoMs > e.rpoMs) out.push(`rpo ${formatDurationMs(m.rpoMs)} exceeds expected ${formatDurationMs(e.rpoMs)} (${m.lostWrites} writes lost)`);
  out.push(countViolation("failovers", m.failovers, e.failovers));
  if (e.activeRegion !== undefined && m.activeRegion !== e.activeRegion) out.push(`activeRegion ${m.activeRegion}, expected ${e.activeRegion}`);
  if (e.splitBrain === false && m.splitBrainMs > 0) out.push(`split brain for ${formatDurationMs(m.splitBrainMs)}, expected none`);
  out.push(countViolation("escalations", m.escalations, e.escalations));
  return out.filter((v): v is string => v !== undefined);
}
