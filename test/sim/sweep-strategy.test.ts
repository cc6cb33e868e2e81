// A sweep with the sandbox's traffic switched to another strategy (the
// bench's RTO by strategy): each seed's scenario gets the strategy in its
// `controller:` block and runs with routing controls, while a sweep without
// the option runs randomScenario's YAML as it is, byte for byte.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { cli } from "../helpers/cli.js";

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

  it("records: losing us-east-1 also loses the Route 53 control plane, so such a seed expects safety and an escalation, not a failover", () => {
    const scenario = (strategy: string) =>
      parseScenario(`name: x
duration: 1h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
controller: { traffic: { strategy: ${strategy} } }
faults:
  - { at: 10m, until: 40m, kind: region-outage, region: us-east-1, services: [app, aurora] }
`, "x.yaml");
    const classOf = (strategy: string) => { const s = scenario(strategy); return classify(s, scenarioConfig(s, "x.yaml")); };
    expect(classOf("health-check")).toMatchObject({ class: "clean-outage", due: "failover" });
    expect(classOf("routing-control")).toMatchObject({ class: "clean-outage", due: "failover" });
    expect(classOf("records")).toMatchObject({ class: "outside-envelope", due: "escalate", why: expect.stringMatching(/takes the Route 53 control plane/) });
    // us-east-1 as the standby: nothing has to move, so losing it is the standby's failure only.
    const standby = parseScenario(`name: y
duration: 1h
world: { regions: [us-west-2, us-east-1, us-east-2], witness: us-east-2 }
controller: { traffic: { strategy: records } }
faults:
  - { at: 10m, until: 40m, kind: region-outage, region: us-east-1, services: [app, aurora] }
`, "y.yaml");
    expect(classify(standby, scenarioConfig(standby, "y.yaml"))).toMatchObject({ class: "other-region", due: "nothing" });
    // Sweep seed 410490 loses us-east-1 for 28 min: its expectations follow the switched config.
    const plain = parse(sweepFile(410490, undefined).text) as { expect: Record<string, unknown> };
    const records = parse(sweepFile(410490, undefined, "records").text) as { expect: Record<string, unknown>; description: string };
    expect(plain.expect).toMatchObject({ rto: "15m", failovers: { min: 1 } });
    expect(records.expect).toEqual({ rpo: "15m", splitBrain: false, falseFailovers: {} });
    expect(records.description).toMatch(/outside-envelope/);
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

  it("failover gameday --sweep --strategy: the seeds run on that strategy and --emit writes the switched scenario; a bad strategy is exit 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "strategy-sweep-"));
    const r = await cli(["--json", "gameday", "--sweep", "1", "--seed", "1", "--workers", "1", "--strategy", "routing-control", "--emit", dir]);
    const out = JSON.parse(r.stdout) as { scenarios: { timeline: { event: string }[] }[] };
    expect(r.code).toBe(0);
    expect(out.scenarios[0]!.timeline.some((e) => e.event === "arc.controls")).toBe(true);
    expect(await readFile(join(dir, "sweep-1.yaml"), "utf8")).toBe(sweepFile(1, undefined, "routing-control").text);
    const bad = await cli(["gameday", "--sweep", "1", "--strategy", "dns"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--strategy must be one of health-check, routing-control, records, got "dns"/);
    const noSweep = await cli(["gameday", "--scenario", "test/gameday/controller-crash.yaml", "--strategy", "records"]);
    expect(noSweep.code).toBe(2);
    expect(noSweep.stderr).toMatch(/--strategy applies to --sweep runs/);
  }, 120_000);
});
