// Shared set-up for the simulator tests: the sandbox config, scenarios from
// inline YAML, a world on its own scheduler, and a way to await a promise
// that only settles as virtual time moves.
import { RDSClient } from "@aws-sdk/client-rds";
import { loadBaseConfig, type BaseConfig } from "../../src/sim/config-derive.js";
import { SIM_CREDENTIALS, simDecorator, type AnswerPoint } from "../../src/sim/middleware.js";
import { parseScenarioText } from "../../src/sim/scenario.js";
import { SIM_EPOCH_MS, Scheduler } from "../../src/sim/scheduler.js";
import type { Scenario } from "../../src/sim/types.js";
import { World } from "../../src/sim/world/world.js";

let cached: Promise<BaseConfig> | undefined;
export const sandbox = (): Promise<BaseConfig> => (cached ??= loadBaseConfig("config/sandbox.yaml"));

export async function scenarioFrom(yaml: string, file = "inline.yaml"): Promise<Scenario> {
  return parseScenarioText(yaml, file, await sandbox());
}

export interface TestWorld {
  sched: Scheduler;
  world: World;
  scenario: Scenario;
  /** Milliseconds since the scenario start. */
  elapsed: () => number;
}

/** A world built from a scenario (faults are NOT scheduled: tests drive them). */
export async function worldFrom(yaml = "name: t\nduration: 2h\n", seed?: number): Promise<TestWorld> {
  const scenario = await scenarioFrom(yaml);
  const sched = new Scheduler(SIM_EPOCH_MS);
  const world = new World(sched, scenario.world, scenario.config, seed ?? scenario.seed);
  return { sched, world, scenario, elapsed: () => sched.now() - SIM_EPOCH_MS };
}

/** Advances virtual time until `p` settles (or `limitMs` passes) and returns its outcome. */
export async function settle<T>(sched: Scheduler, p: Promise<T>, limitMs = 60_000): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | { pending: true }> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  p.then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  const end = sched.now() + limitMs;
  while (outcome === undefined && sched.now() < end) await sched.runUntil(Math.min(end, sched.now() + 500));
  return outcome ?? { pending: true };
}

/** Like settle, but the promise must resolve. */
export async function resolved<T>(sched: Scheduler, p: Promise<T>, limitMs = 60_000): Promise<T> {
  const o = await settle(sched, p, limitMs);
  if ("pending" in o) throw new Error("still pending");
  if (!o.ok) throw o.error instanceof Error ? o.error : new Error(String(o.error));
  return o.value;
}

export function rdsClient(world: World, region: string, caller = region, answerAt: AnswerPoint = "initialize"): RDSClient {
  const client = new RDSClient({ region, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  simDecorator(world, caller, { answerAt })(client, "rds", region);
  return client;
}
