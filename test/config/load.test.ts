import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/index.js";
import { computeBudget, parseConfigText } from "../../src/config/index.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const EXAMPLE = readFileSync("config/example.yaml", "utf8");

function problemsOf(text: string): ConfigError {
  try {
    parseConfigText(text, "c.yaml");
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("config loading", () => {
  it("accepts the sandbox and the commented example", () => {
    expect(parseConfigText(SANDBOX, "sandbox.yaml").config.regions).toEqual(["us-east-1", "us-west-2"]);
    expect(parseConfigText(EXAMPLE, "example.yaml").config.policy.mode).toBe("automatic");
  });

  it("turns durations into milliseconds and fills defaults", () => {
    const { config } = parseConfigText(SANDBOX, "sandbox.yaml");
    expect(config.policy.rto).toBe(900_000);
    expect(config.traffic.ttl).toBe(60_000);
    expect(config.coordination.leaseDuration).toBe(30_000);
  });

  it("names file and line for invalid YAML", () => {
    const e = problemsOf("application: orders\nregions: [us-east-1,\n  bad: x\n");
    expect(e.file).toBe("c.yaml");
    expect(e.line).toBeGreaterThan(0);
    expect(e.expected).toMatch(/valid YAML/);
  });

  it("names path, line and expectation for a wrong type", () => {
    const e = problemsOf(SANDBOX.replace("quorum: 2", 'quorum: "two"'));
    expect(e.issues[0]).toMatchObject({ path: "policy.quorum", line: lineOf(SANDBOX, "quorum: 2"), expected: 'a number, got string "two"' });
  });

  it("reports a missing required field at its parent", () => {
    const e = problemsOf(SANDBOX.replace(/^ {2}table: failover-control\n/m, ""));
    expect(e.issues[0]).toMatchObject({ path: "coordination.table", line: lineOf(SANDBOX, "coordination:") });
    expect(e.expected).toMatch(/required/);
  });

  it("rejects unknown fields with their line", () => {
    const e = problemsOf(SANDBOX.replace("  cooldown: 30m", "  cooldown: 30m\n  cooldwn: 1m"));
    expect(e.issues[0]).toMatchObject({ path: "policy.cooldwn", line: lineOf(SANDBOX, "cooldown: 30m") + 1 });
    expect(e.expected).toMatch(/unknown field/);
  });

  it("refuses an RTO of 0 and a bad duration", () => {
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 0s")).issues[0]).toMatchObject({ path: "policy.rto" });
    const e = problemsOf(SANDBOX.replace("rto: 15m", "rto: 10 minutes"));
    expect(e.issues[0]).toMatchObject({ path: "policy.rto", line: lineOf(SANDBOX, "rto: 15m") });
    expect(e.expected).toMatch(/"15m"/);
  });

  it("refuses a witness that is also an app region", () => {
    const e = problemsOf(SANDBOX.replace(/^witness: us-east-2/m, "witness: us-west-2").replace("region: us-east-2", "region: us-east-1"));
    expect(e.issues.map((i) => i.path)).toContain("witness");
    expect(e.issues.find((i) => i.path === "witness")?.line).toBe(lineOf(SANDBOX, "witness:"));
  });

  it("refuses a cluster ARN in the wrong region", () => {
    const e = problemsOf(SANDBOX.replace("arn:aws:rds:us-west-2:", "arn:aws:rds:eu-west-1:"));
    expect(e.issues[0]).toMatchObject({ path: "aurora.clusters.us-west-2", expected: expect.stringMatching(/in us-west-2, got one in eu-west-1/) });
    expect(e.line).toBe(lineOf(SANDBOX, "us-west-2: arn:aws:rds"));
  });

  it("refuses an eventually consistent store in automatic mode", () => {
    const e = problemsOf(SANDBOX.replace("consistency: single-region", "consistency: eventual"));
    expect(e.issues[0]).toMatchObject({ path: "coordination.consistency", expected: expect.stringMatching(/partition/) });
  });

  it("refuses a minority quorum in automatic mode", () => {
    expect(problemsOf(SANDBOX.replace("quorum: 2", "quorum: 1")).issues[0]).toMatchObject({ path: "policy.quorum" });
  });

  it("lists every problem at once", () => {
    const e = problemsOf(SANDBOX.replace("rto: 15m", "rto: 1y").replace("quorum: 2", "quorum: x"));
    expect(e.issues.map((i) => i.path)).toEqual(["policy.rto", "policy.quorum"]);
  });
});

describe("RTO budget", () => {
  it("fits for the sandbox, with every term accounted for", () => {
    const b = computeBudget(parseConfigText(SANDBOX, "s").config);
    expect(b.terms.map((t) => t.name)).toEqual(["detection", "decision", "promotion", "traffic-flip", "dns-ttl"]);
    // 10s x 3 + 3 tries x 2s; 20s + 10s; 2m; 60s + 10s x 3; 60s
    expect(b.terms.map((t) => t.ms)).toEqual([36_000, 30_000, 120_000, 90_000, 60_000]);
    expect(b.totalMs).toBe(336_000);
    expect(b.fits).toBe(true);
    expect(b.problems).toEqual([]);
  });

  it("says which term is too big when detection alone exceeds the RTO", () => {
    const slow = SANDBOX.replace("interval: 10s\n    timeout: 2s", "interval: 6m\n    timeout: 2s");
    const b = computeBudget(parseConfigText(slow, "s").config);
    expect(b.fits).toBe(false);
    expect(b.problems[0]).toMatch(/^detection 18m6s alone exceeds the RTO 15m/);
  });

  it("flags a plan that would decide data loss blind", () => {
    const noLag = SANDBOX.replace("  - kind: aurora\n    interval: 30s\n", "");
    expect(computeBudget(parseConfigText(noLag, "s").config).problems.join()).toMatch(/aurora probe/);
  });
});
