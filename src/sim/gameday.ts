// The game-day use cases the CLI (and the bench) drive: run a file or a
// folder of scenarios, or a seeded sweep, with one pool of SDK clients.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BaseConfig } from "./config-derive.js";
import { defaultControllerFactory, noController, type NamedControllerFactory } from "./controller-port.js";
import { AdapterPool } from "./controllers.js";
import type { AnswerPoint } from "./middleware.js";
import { summarize, type VerdictSet } from "./report.js";
import { runScenario, type Verdict } from "./runner.js";
import { loadScenarios } from "./scenario.js";
import { generateScenario, sweepScenarioSeed } from "./sweep.js";
import type { Scenario } from "./types.js";

export interface GamedayOptions {
  controller?: NamedControllerFactory | undefined;
  answerAt?: AnswerPoint | undefined;
  /** Called after each scenario (progress output). */
  onVerdict?: ((v: Verdict, index: number) => void) | undefined;
}

export async function runScenarios(scenarios: readonly Scenario[], opts: GamedayOptions & { seed?: number | undefined } = {}): Promise<Verdict[]> {
  const controller = opts.controller ?? defaultControllerFactory();
  const pool = controller === noController ? undefined : new AdapterPool(opts.answerAt);
  const verdicts: Verdict[] = [];
  try {
    for (const [i, s] of scenarios.entries()) {
      const v = await runScenario(s, { controller, seed: opts.seed, pool });
      verdicts.push(v);
      opts.onVerdict?.(v, i);
    }
  } finally {
    pool?.destroy();
  }
  return verdicts;
}

/** `--scenario FILE|DIR`: every file is validated before anything runs. */
export async function runScenarioPath(path: string, base: BaseConfig, opts: GamedayOptions & { seed?: number | undefined } = {}): Promise<{ single: boolean; verdicts: Verdict[] }> {
  const scenarios = await loadScenarios(path, base);
  const verdicts = await runScenarios(scenarios, opts);
  return { single: scenarios.length === 1 && /\.ya?ml$/i.test(path), verdicts };
}

export interface SweepOptions extends GamedayOptions {
  count: number;
  seed: number;
  /** Write each generated scenario here as `<name>.yaml`. */
  emitDir?: string | undefined;
}

/** `--sweep N`: scenarios are generated one at a time, so memory stays flat. */
export async function runSweep(base: BaseConfig, opts: SweepOptions): Promise<VerdictSet> {
  const controller = opts.controller ?? defaultControllerFactory();
  const pool = controller === noController ? undefined : new AdapterPool(opts.answerAt);
  if (opts.emitDir !== undefined) await mkdir(opts.emitDir, { recursive: true });
  const verdicts: Verdict[] = [];
  try {
    for (let i = 0; i < opts.count; i++) {
      const generated = generateScenario(sweepScenarioSeed(opts.seed, i), base);
      if (opts.emitDir !== undefined) await writeFile(join(opts.emitDir, `${generated.scenario.name}.yaml`), generated.yaml);
      const v = await runScenario(generated.scenario, { controller, pool });
      verdicts.push(v);
      opts.onVerdict?.(v, i);
    }
  } finally {
    pool?.destroy();
  }
  return summarize(verdicts);
}
