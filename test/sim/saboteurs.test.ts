// The instrument can fail: every saboteur (a controller with exactly one
// safety removed) fails at least one committed game day and at least 1 % of
// a 300-seed sweep, and `none` fails every generated run where action was
// due. A saboteur that passes everything would mean the figures cannot tell
// that safety from its absence.
import { describe, expect, it } from "vitest";
import { runScenario, type Verdict } from "../../src/sim/runner.js";
import { SABOTEURS, saboteur } from "../../src/sim/saboteurs.js";
import { loadScenarios } from "../../src/sim/scenario.js";
import { runSweep } from "../../src/sim/sweep-pool.js";
import { cli } from "../helpers/cli.js";

const SWEEP_SEEDS = 300;
/** 1 % of the sweep: stop looking once this many runs have failed. */
const ENOUGH = Math.ceil(SWEEP_SEEDS / 100);

/** For each saboteur, the committed scenario expected to catch it (tried first, to keep CI short). */
const CATCHER: Record<string, string> = {
  none: "region-outage",
  "no-quorum": "partition",
  "no-lease": "region-outage",
  "no-fence": "lease-takeover-mid-failover",
  "ignore-rpo": "replication-lag-over-rpo",
  eager: "probe-noise",
  "never-act": "region-outage",
};

describe("saboteurs", () => {
  it("--saboteur list names each one and what it removes; an unknown name is bad usage", async () => {
    const list = await cli(["--json", "gameday", "--saboteur", "list"]);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((s) => s.name)).toEqual(["none", "no-quorum", "no-lease", "no-fence", "ignore-rpo", "eager", "never-act"]);
    const bad = await cli(["gameday", "--sweep", "1", "--saboteur", "sloppy"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--saboteur must be one of");
  });

  it("each fails at least one committed game day in test/gameday", async () => {
    const scenarios = await loadScenarios("test/gameday");
    const caught: Record<string, string[]> = {};
    for (const s of SABOTEURS) {
      const first = scenarios.find((x) => x.scenario.name === CATCHER[s.name]);
      expect(first, `catcher scenario for ${s.name}`).toBeDefined();
      const order = [first!, ...scenarios.filter((x) => x !== first)];
      for (const { file, scenario } of order) {
        const v = await runScenario(scenario, { file, ...(s.controller && { controller: s.controller }) });
        if (!v.passed) {
          caught[s.name] = [scenario.name, ...v.violations];
          break;
        }
      }
    }
    console.log(`saboteurs caught by committed game days: ${JSON.stringify(caught)}`);
    expect(Object.keys(caught).sort()).toEqual(SABOTEURS.map((s) => s.name).sort());
  }, 300_000);

  it(`none fails every run of a ${SWEEP_SEEDS}-seed sweep where a failover was due (the other saboteurs' sweep: npm run saboteurs, in .ci/run)`, async () => {
    const verdicts: Verdict[] = await runSweep(1, SWEEP_SEEDS, { controller: false, saboteur: "none", workers: 2 });
    const due = verdicts.filter((v) => v.measured.due === "failover");
    console.log(`none: ${verdicts.filter((v) => !v.passed).length} of ${verdicts.length} runs failed; ${due.length} had a failover due`);
    // At least half of the generated runs need the controller to act.
    expect(due.length).toBeGreaterThanOrEqual(SWEEP_SEEDS / 2);
    expect(due.filter((v) => v.passed).map((v) => v.seed)).toEqual([]);
    expect(verdicts.filter((v) => !v.passed).length).toBeGreaterThanOrEqual(ENOUGH);
  }, 300_000);

  it("the registry runs the production controller for every saboteur but none", () => {
    expect(saboteur("none")?.controller).toBeUndefined();
    for (const s of SABOTEURS.filter((x) => x.name !== "none")) expect(s.controller, s.name).toBeDefined();
  });
});

