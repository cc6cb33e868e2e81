// How the simulator runs controllers: one per region (app regions and the
// witness), built by a factory so the world can be exercised with no
// controller at all, and the real control cycle plugged in otherwise.

import type { AwsAdapters } from "../aws/index.js";
import type { Config } from "../config/index.js";
import type { Clock, Region, SeededRandom } from "../core/index.js";
import type { HttpClient } from "../probes/index.js";

export interface SimController {
  tick(): Promise<unknown>;
}

export interface SimControllerContext {
  region: Region;
  /** 0 for the first process in a region, +1 per restart. */
  instance: number;
  config: Config;
  adapters: AwsAdapters;
  http: HttpClient;
  clock: Clock;
  random: SeededRandom;
  events: (event: string, detail: Record<string, unknown>) => void;
}

export type ControllerFactory = (ctx: SimControllerContext) => SimController;
