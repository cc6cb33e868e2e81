import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildIamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { loadConfig } from "../../src/config/index.js";
import { RUNBOOK_RESOURCES, allStates, lintDirectory } from "../../src/runbooks/index.js";
import { cli } from "../helpers/cli.js";
import { definition } from "./harness.js";

const FIXTURES = "test/fixtures/runbooks";
const rules = readdirSync(FIXTURES).map((f) => f.replace(".asl.json", ""));

describe("failover runbooks validate", () => {
  it("accepts the shipped runbooks (exit 0)", async () => {
    const r = await cli(["runbooks", "validate", "runbooks/"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("runbooks/failover.asl.json: valid");
  });

  it("has a failing fixture for every rule", () => {
    expect(rules.sort()).toEqual(
      ["allowed-resource", "asl", "bounded-loop", "input-path", "json", "no-assign", "no-false-type-test", "no-heartbeat", "no-jsonata", "task-catch", "task-retry", "task-timeout"].sort(),
    );
  });

  it.each(rules)("refuses the %s fixture naming file, state and rule (exit 2)", async (rule) => {
    const { issues } = await lintDirectory(FIXTURES);
    const file = `${FIXTURES}/${rule}.asl.json`;
    const mine = issues.filter((i) => i.file === file);
    expect(mine.map((i) => i.rule)).toContain(rule);
    if (!["json", "asl", "no-jsonata"].includes(rule)) expect(mine.find((i) => i.rule === rule)?.state).not.toBe("");
    const r = await cli(["runbooks", "validate", FIXTURES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain(`[${rule}]`);
  });

  it("fails validation (not execution) when a runbook reads an input field the controller does not provide", async () => {
    const { issues } = await lintDirectory(FIXTURES);
    expect(issues.find((i) => i.rule === "input-path")).toMatchObject({ state: "PromoteTarget", message: expect.stringContaining("$.target.clusterArn") });
  });
});

describe("runbook resources and IAM", () => {
  it("grants the runbook role every action a shipped runbook uses on the config's strategy", async () => {
    // ARC actions are granted only to a routing-control config, so each config is checked against the Tasks it can reach.
    for (const file of ["config/sandbox.yaml", "test/fixtures/config/routing-control.yaml"]) {
      const { config } = await loadConfig(file);
      const policies = buildIamPolicies(iamPolicyInputFromConfig(config));
      const granted = new Set(policies.runbook.Statement.flatMap((s) => s.Action));
      const arc = config.traffic.strategy === "routing-control";
      for (const name of ["failover", "switchover", "failback"] as const) {
        for (const { state } of allStates(definition(name))) {
          if (state.Type !== "Task") continue;
          const spec = RUNBOOK_RESOURCES[String(state.Resource)];
          expect(spec, String(state.Resource)).toBeDefined();
          if (spec!.action.startsWith("route53-recovery-cluster:") !== arc) continue;
          expect(granted, `${file} ${name}: ${spec!.action}`).toContain(spec!.action);
        }
      }
      expect([...granted].some((a) => a.startsWith("route53-recovery-cluster:")), file).toBe(arc);
    }
  });
});
