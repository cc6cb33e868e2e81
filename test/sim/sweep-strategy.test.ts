// A sweep with the sandbox's traffic switched to another strategy (the
// bench's RTO by strategy): each seed's scenario gets the strategy in its
// `controller:` block and runs with routing controls, while a sweep without
// the option runs randomScenario's YAML as it is, byte for byte.
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { classify, rtoFloorMs } from "../../src/sim/classify.js";
import { runScenario } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { scenarioConfig } from "../../src/sim/sim-config.js";
import { runSweep } from "../../src/sim/sweep-pool.js";
import { sweepFile } from "../../src/sim/sweep-seed.js";
import { randomScenario } from "../../src/sim/sweep.js";
import { realController } from "../../src/sim/real-controller.js";

const FIRST = 1;
const COUNT = 3;
const seeds = Array.from({ length: COUNT }, (_, i) => FIRST + i);

describe("sweep with a traffic strategy", () => {
  it("writes the strategy into the scenario's controller block and nothing else; unset, the YAML is randomScenario's", () => {
    for (const seed of seeds) {
      const plain = sweepFile(seed, undefined).text;
      expect(plain).toBe(stringify(randomScenario(seed)));
      expect(plain).not.toMatch(/^controller:/m);
      const switched = parse(sweepFile(seed, undefined, "routing-control").text) as Record<string, unknown>;
      expect(switched.controller).toEqual({ traffic: { strategy: "routing-control" } });
      const { controller: _, ...rest } = switched;
      expect(rest).toEqual(parse(plain));
    }
  });

  it("runs routing-control seeds on routing controls, judged by that config's floor, and leaves the default verdicts alone", async () => {
    const plain = await runSweep(FIRST, COUNT, { controller: true, workers: 1 });
    const arc = await runSweep(FIRST, COUNT, { controller: true, workers: 1, strategy: "routing-control" });
    for (const [i, seed] of seeds.entries()) {
      // The default path runs exactly the generated scenario.
      const text = stringify(randomScenario(seed));
      const direct = await runScenario(parseScenario(text, `sweep-${seed}.yaml`), { file: `sweep-${seed}.yaml`, controller: realController });
      expect(JSON.stringify(plain[i])).toBe(JSON.stringify(direct));
      expect(plain[i]!.timeline.some((e) => e.event === "arc.controls")).toBe(false);
      // Routing controls instead of the kill switch: other calls, and the verdict carries the switched config's floor.
      expect(arc[i]!.measured.awsCalls).not.toBe(plain[i]!.measured.awsCalls);
      const s = parseScenario(sweepFile(seed, undefined, "routing-control").text, `sweep-${seed}.yaml`);
      const config = scenarioConfig(s, `sweep-${seed}.yaml`);
      expect(config.traffic.strategy).toBe("routing-control");
      // The run's own floor (its probes, its promotion) is never under the config's best case for the scenario.
      expect(arc[i]!.measured.rtoFloorMs).toBeGreaterThanOrEqual(rtoFloorMs(s, config, classify(s, config)));
    }
    // Seed 1 is due a failover: routing controls move its traffic, on a lower floor than the kill switch's.
    expect(arc[0]!.measured.due).toBe("failover");
    expect(arc[0]!.timeline.some((e) => e.event === "arc.controls")).toBe(true);
    expect(arc[0]!.measured.rtoFloorMs).toBeLessThan(plain[0]!.measured.rtoFloorMs);
  }, 120_000);
});
