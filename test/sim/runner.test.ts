import { writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/sim/scenario.js";
import { runScenario } from "../../src/sim/runner.js";
import { realController } from "../../src/sim/real-controller.js";
import { cli, tempFile } from "../helpers/cli.js";

const OUTAGE = `name: outage
seed: 7
duration: 2h
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 10m, until: 50m, kind: region-outage, region: us-east-1 }
`;

describe("game-day runner", () => {
  it("with no controller, an outage of the active region measures RTO = the outage length", async () => {
    const v = await runScenario(parseScenario(OUTAGE, "o.yaml"));
    expect(v.measured).toMatchObject({ rtoMs: 40 * 60_000, failovers: 0, activeRegion: "us-east-1", splitBrainMs: 0, awsCalls: 0 });
  });

  it("is deterministic: same scenario and seed give byte-identical JSON, timeline included; another seed differs", async () => {
    const s = parseScenario(OUTAGE, "o.yaml");
    const a = JSON.stringify(await runScenario(s, { controller: realController }));
    const b = JSON.stringify(await runScenario(s, { controller: realController }));
    const c = JSON.stringify(await runScenario(s, { controller: realController, seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(JSON.parse(a)).toMatchObject({ passed: true, measured: { failovers: 1, activeRegion: "us-west-2" } });
  }, 60_000);

  it("prints one JSON verdict with --json, exit 0 when expectations hold and 1 when they do not", async () => {
    const ok = await cli(["--json", "gameday", "--scenario", tempFile(`${OUTAGE}expect: { rto: 15m, failovers: 1 }\n`)]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ scenario: "outage", seed: 7, passed: true, violations: [] });
    const bad = await cli(["--json", "gameday", "--no-controller", "--scenario", tempFile(`${OUTAGE}expect: { rto: 15m }\n`)]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ passed: false, violations: ["rto 40m exceeds expected 15m"] });
  }, 60_000);
});

describe("bad scenarios exit 2 naming file, line, field path and expectation", () => {
  const cases: [string, string, RegExp][] = [
    ["unknown field", `${OUTAGE}colour: red\n`, /:7: colour: expected no field "colour"/],
    ["unknown fault kind", OUTAGE.replace("kind: region-outage", "kind: meteor"), /:6: faults\[0\]\.kind: expected kind: one of region-outage/],
    ["bad duration", OUTAGE.replace("until: 50m", "until: 10 minutes"), /faults\[0\]\.until: expected a duration such as "500ms"/],
    ["fault past duration", OUTAGE.replace("at: 10m", "at: 3h").replace("until: 50m", "until: 4h"), /faults\[0\]\.at: expected a time within the scenario's duration/],
    ["until before at", OUTAGE.replace("until: 50m", "until: 5m"), /faults\[0\]\.until: expected a time after `at`/],
    ["unknown region", OUTAGE.replace("region: us-east-1 }", "region: mars-north-1 }"), /faults\[0\]\.region: expected an AWS region name/],
    ["region missing from world.regions", OUTAGE.replace("region: us-east-1 }", "region: eu-west-1 }"), /faults\[0\]\.region: expected a region of world\.regions/],
  ];
  it.each(cases)("%s", async (_name, text, message) => {
    const file = tempFile(text);
    const r = await cli(["gameday", "--scenario", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a folder with one bad file reports it and runs nothing", async () => {
    const dir = dirname(tempFile(OUTAGE, "a.yaml"));
    writeFileSync(`${dir}/b.yaml`, OUTAGE.replace("name: outage", "name: other").replace("until: 50m", "until: 5m"));
    const r = await cli(["gameday", "--scenario", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}/b.yaml`);
    expect(r.stderr).not.toMatch(/pass |FAIL /);
  });
});
