// The pure parts of the override: a forced target must be UP for every
// observer that reports; the data-loss rule; the manual steps.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { dataLossProblem, forcedTargetProblem, manualSteps } from "../../src/controller/override.js";
import { PARAMS, view } from "../policy/fixtures.js";

const NOW = 1_000_000;

describe("override rules", () => {
  it("a forced target must be UP for every reporting observer, and at least one", () => {
    const up = view("us-east-2", NOW, { "us-west-2": "UP" });
    expect(forcedTargetProblem([up], "us-west-2", PARAMS, NOW)).toBeUndefined();
    expect(forcedTargetProblem([up, view("us-west-2", NOW, { "us-west-2": "DOWN" })], "us-west-2", PARAMS, NOW)).toMatch(/not seen UP by every observer.*not UP: us-west-2/);
    expect(forcedTargetProblem([view("us-east-2", NOW - PARAMS.maxViewAgeMs - 1, { "us-west-2": "UP" })], "us-west-2", PARAMS, NOW)).toMatch(/no observer reports/);
  });

  it("data loss: unknown or over the RPO needs acceptance; within it does not", () => {
    expect(dataLossProblem(undefined, 900_000, false)).toMatch(/unknown/);
    expect(dataLossProblem(900_001, 900_000, false)).toMatch(/exceeds the RPO/);
    expect(dataLossProblem(900_000, 900_000, false)).toBeUndefined();
    expect(dataLossProblem(undefined, 900_000, true)).toBeUndefined();
  });

  it("manual steps list the runbook's mutating calls region by region, stop the daemons first", () => {
    const { config } = parseConfigText(readFileSync("config/sandbox.yaml", "utf8"), "sandbox.yaml");
    const def = JSON.parse(readFileSync("runbooks/failover.asl.json", "utf8")) as Parameters<typeof manualSteps>[1];
    const steps = manualSteps(config, def, "us-east-1", "us-west-2");
    expect(steps[0]).toMatch(/^1\. stop every failover daemon/);
    expect(steps.join("\n")).toMatch(/cloudwatch:PutMetricData in us-east-1: DrainOldRegion \(.*Value 0\)/);
    expect(steps.join("\n")).toMatch(/rds:FailoverGlobalCluster in us-west-2: PromoteTarget \(.*AllowDataLoss true\)/);
    expect(steps.join("\n")).toMatch(/cloudwatch:PutMetricData in us-west-2: EnableTarget \(.*Value 1\)/);
  });
});
