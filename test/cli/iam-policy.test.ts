import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../src/aws/index.js";
import { cli, tempFile } from "../helpers/cli.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const NO_STACK = /\n\s+at /;

interface Output {
  controller: PolicyDocument;
  runbook: PolicyDocument;
  notes: string[];
}

const resources = (doc: PolicyDocument) => doc.Statement.flatMap((s) => s.Resource);
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => s.Action);

describe("failover iam-policy", () => {
  it("prints valid JSON for the sandbox: no wildcard action, the sandbox's ARNs as resources", async () => {
    const r = await cli(["iam-policy", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Output;
    for (const doc of [out.controller, out.runbook]) {
      expect(doc.Version).toBe("2012-10-17");
      expect(actions(doc).length).toBeGreaterThan(0);
      expect(actions(doc).filter((a) => a.includes("*"))).toEqual([]);
    }
    expect(resources(out.controller)).toEqual(
      expect.arrayContaining([
        "arn:aws:route53:::hostedzone/ZSANDBOX0000001",
        "arn:aws:rds::111122223333:global-cluster:orders-global",
        "arn:aws:rds:us-east-1:111122223333:cluster:orders-use1",
        "arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2",
        "arn:aws:dynamodb:us-east-1:111122223333:table/orders-sessions",
        "arn:aws:dynamodb:us-west-2:111122223333:table/orders-sessions",
        "arn:aws:dynamodb:us-east-2:111122223333:table/failover-control",
        "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-*",
        "arn:aws:iam::111122223333:role/failover-orders-runbooks",
      ]),
    );
    expect(resources(out.runbook)).toEqual(
      expect.arrayContaining(["arn:aws:rds::111122223333:global-cluster:orders-global", "arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2"]),
    );
    // The sandbox runs the runbooks in-process: the controller makes the promotion calls itself.
    expect(actions(out.controller)).toContain("rds:FailoverGlobalCluster");
    expect(out.notes.length).toBeGreaterThan(0);
  });

  it("prints the same JSON document with --json", async () => {
    const plain = await cli(["iam-policy", "--config", "config/sandbox.yaml"]);
    const json = await cli(["--json", "iam-policy", "--config", "config/sandbox.yaml"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(plain.stdout));
  });

  it("derives alarm ARNs per region from alarm probes", async () => {
    const file = tempFile(SANDBOX.replace("  - kind: aurora\n", "  - kind: cloudwatch-alarm\n    alarm: orders-5xx-{region}\n  - kind: aurora\n"));
    const r = await cli(["iam-policy", "--config", file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    const alarms = out.controller.Statement.find((s) => s.Action.includes("cloudwatch:DescribeAlarms"));
    expect(alarms?.Resource).toEqual([
      "arn:aws:cloudwatch:us-east-1:111122223333:alarm:orders-5xx-us-east-1",
      "arn:aws:cloudwatch:us-west-2:111122223333:alarm:orders-5xx-us-west-2",
    ]);
  });

  it("exits 2 without a stack trace for a missing or invalid config", async () => {
    const missing = await cli(["iam-policy", "--config", "config/does-not-exist.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/does-not-exist\.yaml/);
    const bad = await cli(["iam-policy", "--config", tempFile(SANDBOX.replace('accountId: "111122223333"', 'accountId: "123"'))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/accountId/);
    expect(bad.stderr).not.toMatch(NO_STACK);
    const noFlag = await cli(["iam-policy"]);
    expect(noFlag.code).toBe(2);
  });
});
