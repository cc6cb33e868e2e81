import { createAwsAdapters } from "../../src/aws/index.js";
import { ManualClock, SeededRandom } from "../../src/core/index.js";
import { FaultBook } from "../../src/sim/faults.js";
import { simDecorator } from "../../src/sim/middleware.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { scenarioConfig } from "../../src/sim/sim-config.js";
import { World } from "../../src/sim/world.js";

/** A world with no runner: tests step it and call it through real SDK clients. */
const WORLD = "world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }\n";

export function testWorld(yaml = "name: t\nduration: 2h\n", callerRegion = "us-east-2") {
  const text = yaml.includes("world:") ? yaml.replace("world: {", "world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2,") : yaml + WORLD;
  const scenario = parseScenario(text, "t.yaml");
  const config = scenarioConfig(scenario, "t.yaml");
  const faults = new FaultBook(scenario.faults);
  const world = new World(config, scenario, faults, new SeededRandom(scenario.seed));
  const clock = new ManualClock(0);
  const adapters = createAwsAdapters({ env: {}, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" }, decorate: simDecorator(world, { region: callerRegion, alive: () => true }, clock) });
  /** Moves the world and the clock to `ms`, second by second. */
  const runTo = async (ms: number) => {
    for (let t = Math.ceil(clock.now() / 1000) * 1000; t <= ms; t += 1000) {
      await clock.advanceTo(t);
      faults.update(t);
      world.step(t);
    }
  };
  /** Runs an SDK-backed call while time moves (calls take simulated latency). */
  const call = async <T>(p: Promise<T>, budgetMs = 30_000): Promise<T> => {
    let done = false;
    let value: T | undefined;
    let error: unknown;
    p.then((v) => ((done = true), (value = v)), (e: unknown) => ((done = true), (error = e)));
    const end = clock.now() + budgetMs;
    while (!done && clock.now() < end) await runTo(clock.now() + 1000);
    if (!done) throw new Error("call did not finish in simulated time");
    if (error) throw error instanceof Error ? error : new Error("the call failed with a non-Error value");
    return value as T;
  };
  return { scenario, config, faults, world, clock, adapters, runTo, call };
}
