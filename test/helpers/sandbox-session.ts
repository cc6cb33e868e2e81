// The sandbox config's simulated world after a minute of normal operation,
// and its witness controller (the one the daemon tests drive by hand).
import type { AwsAdapters } from "../../src/aws/index.js";
import { loadConfig } from "../../src/config/index.js";
import { FailoverController } from "../../src/controller/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

export async function sandboxWitness(): Promise<{ session: SimSession; witness: FailoverController; adapters: AwsAdapters }> {
  const { config } = await loadConfig("config/sandbox.yaml");
  const session = new SimSession(parseScenario(sandboxScenario(config), "sandbox"), { controller: realController });
  await session.stepUntil(() => false, 60_000);
  const witness = session.controllerIn("us-east-2");
  const adapters = session.adaptersIn("us-east-2");
  if (!(witness instanceof FailoverController) || !adapters) throw new Error("no witness controller in the sandbox");
  return { session, witness, adapters };
}
