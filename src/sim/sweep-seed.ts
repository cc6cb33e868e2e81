// One seed of a randomized sweep, the same way wherever it runs (in this
// thread or in a sweep worker): the scenario is generated, written as the
// YAML `--emit` would save, parsed back and run, so a seed's verdict does
// not depend on where it ran.

import { join } from "node:path";
import { stringify } from "yaml";
import type { Config } from "../config/index.js";
import type { ControllerFactory } from "./controller-port.js";
import { realController } from "./real-controller.js";
import { saboteur } from "./saboteurs.js";
import { runScenario, type Verdict } from "./runner.js";
import { parseScenario, type ScenarioInput } from "./scenario.js";
import { randomScenario, setExpectations } from "./sweep.js";

/** The config's traffic strategies (config schema `traffic.strategy`). */
export type TrafficStrategy = Config["traffic"]["strategy"];

export interface SweepOptions {
  /** Run the real controller (false: the world alone, `--no-controller`). */
  controller: boolean;
  /** A saboteur's name (saboteurs.ts) to run in place of the real controller. */
  saboteur?: string | undefined;
  /** The folder `--emit` writes scenarios to (names the scenario file in messages). */
  emitDir?: string | undefined;
  /**
   * Runs every seed with the sandbox switched to this traffic strategy (the
   * scenario gets `controller: { traffic: { strategy } }`, as a game day
   * would write it). Unset: the generated scenario as it is, byte for byte.
   * The class a verdict reports and its RTO floor follow the switched config
   * (runner.ts classifies with the config the run used); the expectations
   * are derived again under the switched config (setExpectations): the same
   * for routing-control, while under `records` a Route 53 control-plane
   * outage, and so a loss of us-east-1, is a failure of its own (classify.ts).
   */
  strategy?: TrafficStrategy | undefined;
}

/** The scenario file a seed is (or would be) emitted as. */
export function sweepFile(seed: number, emitDir: string | undefined, strategy?: TrafficStrategy): { file: string; text: string } {
  const generated = randomScenario(seed);
  const input = strategy === undefined ? generated : withStrategy(generated, strategy);
  const text = stringify(input);
  return { file: emitDir ? join(emitDir, `${input.name}.yaml`) : `${input.name}.yaml`, text };
}

export async function runSweepSeed(seed: number, opts: SweepOptions): Promise<Verdict> {
  const { file, text } = sweepFile(seed, opts.emitDir, opts.strategy);
  const controller = controllerFor(opts);
  return runScenario(parseScenario(text, file), { file, ...(controller && { controller }) });
}

/** The scenario with its controller's traffic strategy set, merged into any `controller:` keys it has. */
function withStrategy(input: ScenarioInput, strategy: TrafficStrategy): ScenarioInput {
  const controller = input.controller ?? {};
  const traffic = (controller.traffic ?? {}) as Record<string, unknown>;
  const switched: ScenarioInput = { ...input, controller: { ...controller, traffic: { ...traffic, strategy } } };
  setExpectations(switched);
  return switched;
}

/** The controller a run uses: a saboteur's, the real one, or none. */
export function controllerFor(opts: { controller: boolean; saboteur?: string | undefined }): ControllerFactory | undefined {
  if (opts.saboteur !== undefined) {
    const s = saboteur(opts.saboteur);
    if (!s) throw new Error(`unknown saboteur ${JSON.stringify(opts.saboteur)}`);
    return s.controller;
  }
  return opts.controller ? realController : undefined;
}
