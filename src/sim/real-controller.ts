// The production control cycle as the simulator's controller: the real
// FailoverController, on real SDK clients answered by the world, with the
// runbooks shipped in runbooks/. This is what `failover gameday` runs by
// default; `--no-controller` runs the world alone.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FailoverController } from "../controller/index.js";
import type { Definition, RunbookName } from "../runbooks/index.js";
import type { NamedControllerFactory } from "./controller-port.js";

const here = dirname(fileURLToPath(import.meta.url));

/** The package root, from src/sim (tsx) or dist/src/sim (built). */
function packageRoot(): string {
  for (const candidate of [join(here, "../.."), join(here, "../../..")]) {
    try {
      if ((JSON.parse(readFileSync(join(candidate, "package.json"), "utf8")) as { name?: string }).name === "failover") return candidate;
    } catch {
      // not this one
    }
  }
  return process.cwd();
}

let runbooks: Record<RunbookName, Definition> | undefined;

export function shippedRunbooks(): Record<RunbookName, Definition> {
  if (!runbooks) {
    const root = packageRoot();
    const load = (name: RunbookName) => JSON.parse(readFileSync(join(root, "runbooks", `${name}.asl.json`), "utf8")) as Definition;
    runbooks = { failover: load("failover"), switchover: load("switchover"), failback: load("failback") };
  }
  return runbooks;
}

export const realController: NamedControllerFactory = {
  name: "failover",
  create: (ctx) =>
    new FailoverController({
      config: ctx.config,
      region: ctx.region,
      instanceId: `i${ctx.instance}`,
      adapters: ctx.adapters,
      http: ctx.http,
      clock: ctx.clock,
      runbooks: shippedRunbooks(),
      events: ctx.events,
    }),
};
