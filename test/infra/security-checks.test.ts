// cdk-nag really runs: a deliberately non-compliant resource in a test app
// is reported (an empty report would prove nothing), the real stacks are
// clean only because of the acknowledgements written next to their
// resources, and every rule acknowledged is listed with its reason in
// docs/infra.md.

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { CfnRole } from "aws-cdk-lib/aws-iam";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../infra/app.js";
import { parseDeployConfig } from "../../infra/load.js";
import { acknowledge, addSecurityChecks } from "../../infra/nag.js";
import { readFindings } from "../../infra/synth.js";

interface Report {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** Synthesizes `app`; returns the rule findings of cdk-nag (empty when synth passes). */
function findings(app: App, outdir: string): string[] {
  // CDK prints the whole report on stderr; the test reads the file instead.
  const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (err) {
    // A failed validation writes its report; anything else is a real error.
    if (!existsSync(join(outdir, "validation-report.json"))) throw err;
  } finally {
    quiet.mockRestore();
  }
  const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as Report;
  return report.pluginReports.flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)));
}

function adminRole(scope: Stack): CfnRole {
  return new CfnRole(scope, "TooBroad", {
    assumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    policies: [{ policyName: "admin", policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }] } }],
  });
}

const testApp = () => {
  const outdir = mkdtempSync(join(tmpdir(), "failover-nag-"));
  const app = new App({ outdir });
  const stack = new Stack(app, "NagProbe", { env: { account: "111122223333", region: "us-east-1" } });
  addSecurityChecks(app);
  return { app, stack, outdir };
};

describe("cdk-nag security checks", () => {
  it("report a deliberately non-compliant resource", async () => {
    const { app, stack, outdir } = testApp();
    adminRole(stack);
    const found = findings(app, outdir);
    expect(found.sort()).toEqual(["AwsSolutions-IAM5[Action::s3:*] NagProbe/TooBroad", "AwsSolutions-IAM5[Resource::*] NagProbe/TooBroad"]);
    // `infra synth` turns the same report into its error (exit 1), one line per finding.
    const err = await readFindings(outdir);
    expect(err?.name).toBe("SecurityCheckError");
    expect(err?.findings).toContainEqual(expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] at NagProbe\/TooBroad: /));
  }, 120_000);

  it("stay quiet for a finding acknowledged with a reason, and only for that finding", () => {
    const { app, stack, outdir } = testApp();
    const role = adminRole(stack);
    acknowledge(role, { id: "AwsSolutions-IAM5[Resource::*]", reason: "test: resource wildcard reviewed" });
    // The action wildcard is a separate finding and is still reported.
    expect(findings(app, outdir)).toEqual(["AwsSolutions-IAM5[Action::s3:*] NagProbe/TooBroad"]);
  }, 120_000);

  it("find problems in the real stacks that only the written acknowledgements silence, each listed in docs/infra.md", async () => {
    const input = await parseDeployConfig(readFileSync("config/example.yaml", "utf8"), "config/example.yaml");
    const outdir = mkdtempSync(join(tmpdir(), "failover-nag-"));
    const found = findings(buildApp(input, { outdir, acknowledgeFindings: false }).app, outdir);
    const rules = [...new Set(found.map((f) => f.replace(/[[ ].*$/, "")))].sort();
    expect(rules).toEqual(["AwsSolutions-ECS4", "AwsSolutions-IAM5", "AwsSolutions-SF1", "AwsSolutions-SF2"]);
    const doc = readFileSync("docs/infra.md", "utf8");
    for (const rule of rules) expect(doc, `docs/infra.md lists ${rule}`).toContain(rule);
    // The templates test synthesizes the same config with the acknowledgements
    // on and passes: the difference is exactly these acknowledged findings.
  }, 180_000);
});
