// One controller for a one-shot command (plan, status, --to, --drill):
// against AWS, or inside a simulated twin of the config's world that keeps
// running (second by second, virtual time) until the command is done.

import { realClock, type Region } from "../../core/index.js";
import type { Config } from "../../config/index.js";
import { createAwsAdapters, type AwsAdapters } from "../../aws/index.js";
import { FailoverController } from "../../controller/index.js";
import { fetchHttp } from "../../daemon/index.js";
import { UsageError } from "../exit.js";
import { loadRunbooks } from "./runbooks.js";

/** The observer a command acts as: --region, else the witness, else the first app region. */
export const regionOption = (config: Config, region: string | undefined): Region => {
  const observers = [...config.regions, ...(config.witness ? [config.witness] : [])];
  if (region && !observers.includes(region)) throw new UsageError(`--region must be one of ${observers.join(", ")}`);
  return region ?? config.witness ?? config.regions[0]!;
};

/** How long (simulated) a twin keeps running for one command: a switchover and a failback fit. */
const TWIN_CAP_MS = 3 * 3_600_000;

/** Runs `fn` with a controller of `region` and its adapters: live (AWS), or in a simulated twin kept moving meanwhile. */
export async function withController<T>(config: Config, region: Region, sandbox: boolean, fn: (c: FailoverController, adapters: AwsAdapters) => Promise<T>): Promise<T> {
  if (!sandbox) {
    const adapters = createAwsAdapters({});
    return fn(new FailoverController({ config, region, instanceId: `cli-${process.pid}`, adapters, http: fetchHttp, clock: realClock, runbooks: await loadRunbooks(config) }), adapters);
  }
  // The simulator is loaded only for a twin: a command against AWS never holds it in memory.
  const [{ sandboxScenario }, { realController }, { SimSession }, { parseScenario }] = await Promise.all([
    import("../../daemon/sandbox.js"),
    import("../../sim/real-controller.js"),
    import("../../sim/runner.js"),
    import("../../sim/scenario.js"),
  ]);
  const session = new SimSession(parseScenario(sandboxScenario(config), "sandbox"), { controller: realController });
  // A minute of normal operation first: every observer has published views and the lag is known.
  await session.stepUntil(() => false, 60_000);
  const controller = session.controllerIn(region);
  const adapters = session.adaptersIn(region);
  if (!(controller instanceof FailoverController) || !adapters) throw new Error(`no simulated controller runs in ${region}`);
  return session.drive(fn(controller, adapters), TWIN_CAP_MS);
}
