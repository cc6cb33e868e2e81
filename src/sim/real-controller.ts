// The real control cycle as the simulator's controller: the production
// FailoverController, its adapters on real SDK clients answered by the world.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FailoverController, type Sabotage } from "../controller/index.js";
import type { Definition, RunbookName } from "../runbooks/index.js";
import type { ControllerFactory } from "./controller-port.js";
import { PACKAGE_ROOT } from "./sim-config.js";

let cached: Record<RunbookName, Definition> | undefined;

export function shippedRunbooks(): Record<RunbookName, Definition> {
  cached ??= Object.fromEntries(
    (["failover", "switchover", "failback"] as const).map((n) => [n, JSON.parse(readFileSync(join(PACKAGE_ROOT, "runbooks", `${n}.asl.json`), "utf8")) as Definition]),
  ) as Record<RunbookName, Definition>;
  return cached;
}

/** The production FailoverController; with `sabotage`, one safety removed (saboteurs.ts). */
export function controllerWith(sabotage?: Sabotage): ControllerFactory {
  return (ctx) =>
    new FailoverController({
      config: ctx.config,
      region: ctx.region,
      instanceId: `i${ctx.instance}`,
      adapters: ctx.adapters,
      http: ctx.http,
      clock: ctx.clock,
      runbooks: shippedRunbooks(),
      events: ctx.events,
      ...(sabotage && { sabotage }),
    });
}

export const realController: ControllerFactory = controllerWith();
