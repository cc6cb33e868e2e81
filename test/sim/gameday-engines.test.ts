// Every game day of test/gameday/ with both runbook engines: in-process
// (local) and as Step Functions executions in the target region
// (step-functions, through the scenario-level override). Both must pass, and
// agree on what happened: the same number of failovers, the same region
// active at the end.
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario } from "../../src/sim/runner.js";
import { loadScenarios } from "../../src/sim/scenario.js";
import { withRunbookEngine } from "../../src/sim/engine-override.js";
import { cli } from "../helpers/cli.js";
import { ConfigError } from "../../src/core/index.js";

const scenarios = await loadScenarios("test/gameday");

describe("test/gameday with both runbook engines", () => {
  it.each(scenarios.map((s) => [s.scenario.name, s] as const))("%s", async (_name, { file, scenario }) => {
    const local = await runScenario(scenario, { file, controller: realController });
    expect(local.violations).toEqual([]);
    // A scenario that sets its own coordination layout is about that layout (a single-region
    // table that survives where an MRSC table would lose its majority): local engine only.
    if (scenario.controller?.coordination !== undefined) return;
    let sfn;
    try {
      sfn = await runScenario(withRunbookEngine(scenario, "step-functions"), { file, controller: realController });
    } catch (err) {
      // Not every world can run the Step Functions engine, and the config says why: routing
      // controls need the local engine (a deployed task cannot reach a cluster's endpoints),
      // and an MRSC table spans exactly three regions (the 4- and 5-region worlds).
      expect(err instanceof ConfigError ? err.message : String(err)).toMatch(/routing-control|three regions|replica/);
      return;
    }
    expect(sfn.violations).toEqual([]);
    // The same outcome; the path may differ where timing decides it (API errors, races).
    expect(sfn.measured).toMatchObject({ failovers: local.measured.failovers, activeRegion: local.measured.activeRegion, splitBrainMs: local.measured.splitBrainMs > 0 ? sfn.measured.splitBrainMs : 0, falseFailovers: local.measured.falseFailovers });
    const executions = sfn.timeline.filter((e) => e.event === "runbook.execution");
    if (sfn.measured.failovers > 0) expect(executions.length).toBeGreaterThan(0);
    expect(local.timeline.some((e) => e.event === "runbook.execution")).toBe(false);
  }, 120_000);
});

describe("failover gameday --engine", () => {
  it("runs a scenario with the Step Functions engine from the command line; an unknown engine is exit 2", async () => {
    const r = await cli(["--json", "gameday", "--scenario", "test/gameday/controller-crash.yaml", "--engine", "step-functions"]);
    const v = JSON.parse(r.stdout) as { passed: boolean; timeline: { event: string }[] };
    expect(r.code).toBe(0);
    expect(v.passed).toBe(true);
    expect(v.timeline.filter((e) => e.event === "runbook.execution").length).toBeGreaterThan(0);
    const bad = await cli(["gameday", "--scenario", "test/gameday/controller-crash.yaml", "--engine", "lambda"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--engine must be local or step-functions/);
  }, 60_000);
});
