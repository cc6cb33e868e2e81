// How the simulator runs controllers: one per region (app regions and the
// witness), each ticked every `config.controller.interval` of virtual time,
// each with its own adapters (real SDK clients answered by the world, as
// seen from its region), HTTP client, clock (skewed by clock-skew faults)
// and random stream. The real control cycle plugs in through a
// ControllerFactory; until one is registered the built-in "none" factory
// runs scenarios with no controller at all, so the world and the
// measurements can be tested on their own.

import type { AwsAdapters } from "../aws/index.js";
import type { Config } from "../config/index.js";
import type { Clock, Region, SeededRandom } from "../core/index.js";
import type { HttpClient } from "../probes/http-client.js";

export interface SimController {
  /** One control cycle. Errors are caught by the runner and put on the timeline. */
  tick(): Promise<unknown>;
  /** Graceful stop at the end of the scenario (never called for a crashed instance). */
  stop?(): Promise<void>;
}

export interface ControllerContext {
  region: Region;
  config: Config;
  adapters: AwsAdapters;
  http: HttpClient;
  clock: Clock;
  /** This instance's own stream, forked from the scenario's one PRNG. */
  random: SeededRandom;
  /**
   * Puts an event on the game-day timeline. Names the verdict reads:
   * "decision" (detail.action "failover" | "failback" | ...), "escalation"
   * (counted), "runbook.step". The runner adds `region` to the detail.
   */
  events: (event: string, detail: Record<string, unknown>) => void;
  /** 0 for the first process in a region, +1 per restart after a crash. */
  instance: number;
}

export type ControllerFactory = (ctx: ControllerContext) => SimController;

export interface NamedControllerFactory {
  name: string;
  create: ControllerFactory;
}

/** No controller: nothing ever acts. An outage then lasts exactly as long as the fault. */
export const noController: NamedControllerFactory = {
  name: "none",
  create: () => ({ tick: () => Promise.resolve() }),
};

let defaultFactory: NamedControllerFactory = noController;

/** What `failover gameday` runs when no factory is passed (the real controller registers itself here). */
export function setDefaultControllerFactory(factory: NamedControllerFactory): void {
  defaultFactory = factory;
}

export function defaultControllerFactory(): NamedControllerFactory {
  return defaultFactory;
}
