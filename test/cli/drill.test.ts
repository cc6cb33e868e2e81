// `failover --drill`: readiness checks, then a rehearsal with measured RTO
// and RPO per phase; exit 1 when a check or the budget fails.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DrillReport } from "../../src/cli/commands/drill.js";
import { cli, tempFile } from "../helpers/cli.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");

describe("failover --drill", () => {
  it("--sandbox --json: every check passes, the twin fails over and back within RTO and RPO", async () => {
    const r = await cli(["--drill", "--json", "--config", "config/sandbox.yaml", "--sandbox"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report).toMatchObject({ rehearsal: "twin", checksAgainst: "twin", passed: true, problems: [], limits: { rtoMs: 900_000, rpoMs: 900_000 } });
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["budget", true], ["coordination", true], ["writer", true], ["targets", true], ["health", true], ["lag", true], ["replicas", true], ["health-checks", true], ["runbooks", true], ["iam", true],
    ]);
    const [failover, failback] = report.phases;
    expect(report.phases).toHaveLength(2);
    expect(failover).toMatchObject({ name: "failover", runbook: "failover", from: "us-east-1", to: "us-west-2", status: "succeeded" });
    expect(failback).toMatchObject({ name: "failback", runbook: "failback", from: "us-west-2", to: "us-east-1", status: "succeeded", rpoMs: 0 });
    // Measured by the simulated clients: an outage costs at least detection, at most the RTO.
    expect(failover!.rtoMs).toBeGreaterThan(60_000);
    expect(failover!.rtoMs).toBeLessThanOrEqual(900_000);
    expect(failover!.rpoMs).toBeLessThanOrEqual(900_000);
  });

  it("--no-failback stops after the failover; text output names each check and phase", async () => {
    const r = await cli(["--drill", "--config", "config/sandbox.yaml", "--sandbox", "--no-failback"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}ok {3}budget/m);
    expect(r.stdout).toMatch(/^ {2}failover {4}failover {4}us-east-1 -> us-west-2 +succeeded/m);
    expect(r.stdout).not.toMatch(/^ {2}failback/m);
    expect(r.stdout).toMatch(/^PASSED/m);
  });

  it("--live --sandbox: a planned switchover then the failback, through the controller's manual lever", async () => {
    const r = await cli(["--json", "--drill", "--live", "--config", "config/sandbox.yaml", "--sandbox"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report.rehearsal).toBe("live");
    expect(report.phases.map((p) => [p.name, p.runbook, p.from, p.to, p.status])).toEqual([
      ["switchover", "switchover", "us-east-1", "us-west-2", "succeeded"],
      ["failback", "failback", "us-west-2", "us-east-1", "succeeded"],
    ]);
  });

  it("exits 1 when the budget check fails, and never runs a live phase then", async () => {
    const file = tempFile(SANDBOX.replace("failoverEstimate: 2m", "failoverEstimate: 14m"));
    const r = await cli(["--json", "--drill", "--live", "--config", file, "--sandbox"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report.checks.find((c) => c.name === "budget")).toMatchObject({ ok: false });
    expect(report.phases).toEqual([]);
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^check budget: /), "no live phase ran: the readiness checks must pass first"]));
  });

  it("exits 2 for a --to region the config does not have", async () => {
    const r = await cli(["--drill", "--config", "config/sandbox.yaml", "--sandbox", "--to", "eu-west-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to must be an app region of the config \(us-east-1, us-west-2\), got eu-west-1/);
  });
});
