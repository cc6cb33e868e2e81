import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/index.js";
import { loadConfig, parseConfigText } from "../../src/config/index.js";
import { lineOf, problemsOf } from "./helpers.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const EXAMPLE = readFileSync("config/example.yaml", "utf8");

describe("config loading", () => {
  it("accepts the sandbox and the commented example", () => {
    expect(parseConfigText(SANDBOX, "sandbox.yaml").config.regions).toEqual(["us-east-1", "us-west-2"]);
    const example = parseConfigText(EXAMPLE, "example.yaml");
    expect(example.config.policy.mode).toBe("automatic");
    expect(example.config.traffic.strategy).toBe("health-check");
    expect(example.warnings).toEqual([]);
  });

  it("turns durations into milliseconds and fills defaults", () => {
    const { config } = parseConfigText(SANDBOX, "sandbox.yaml");
    expect(config.policy.rto).toBe(900_000);
    expect(config.policy.decisionTime).toBe(20_000);
    expect(config.traffic.ttl).toBe(60_000);
    expect(config.coordination.leaseDuration).toBe(30_000);
  });

  it("names file and the line of the YAML error for invalid YAML", () => {
    const e = problemsOf(SANDBOX.replace("  mode: automatic", " mode: automatic"));
    // Follow-on errors are counted, not listed: the first one is the operator's clue.
    expect(e.issues).toEqual([
      {
        file: "c.yaml",
        line: lineOf(SANDBOX, "mode: automatic"),
        path: "",
        expected: expect.stringMatching(/^valid YAML \(All mapping items must start at the same column; column \d+\) \(and \d+ more YAML error\(s\) after it/),
      },
    ]);
    expect(problemsOf("application: orders\npolicy:\n\trto: 15m\n").issues[0]).toMatchObject({ line: 3, expected: expect.stringMatching(/Tabs/) });
  });

  it("turns an unresolved alias and an alias bomb into invalid YAML, not a crash", () => {
    // Found by the CLI property test: yaml throws these from toJS(), after parsing.
    expect(problemsOf("application: orders\nregions: [us-east-1]\npolicy: *later\n").issues).toEqual([
      { file: "c.yaml", line: 3, path: "", expected: "valid YAML (Unresolved alias (the anchor must be set before the alias): later)" },
    ]);
    const bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    expect(problemsOf(bomb.join("\n")).expected).toMatch(/^valid YAML \(Excessive alias count/);
  });

  it("treats a duplicate key as invalid YAML, at the second occurrence", () => {
    const text = SANDBOX.replace("  cooldown: 30m", "  cooldown: 30m\n  cooldown: 5m");
    const e = problemsOf(text);
    expect(e.expected).toMatch(/valid YAML.*unique/);
    expect(e.line).toBe(lineOf(SANDBOX, "cooldown: 30m") + 1);
  });

  it("names path, line and expectation for a wrong type", () => {
    const e = problemsOf(SANDBOX.replace("quorum: 2", 'quorum: "two"'));
    expect(e.issues).toEqual([{ file: "c.yaml", path: "policy.quorum", line: lineOf(SANDBOX, "quorum: 2"), expected: 'a number, got string "two"' }]);
  });

  it("formats list indexes in paths and reports the line of the item's field", () => {
    const e = problemsOf(SANDBOX.replace("  - kind: aurora\n    interval: 30s", "  - kind: aurora\n    interval: 30"));
    expect(e.issues[0]).toMatchObject({ path: "probes[1].interval", line: lineOf(SANDBOX, "interval: 30s"), expected: expect.stringMatching(/duration.*got number 30/) });
  });

  it("reports a missing required field at its parent's line", () => {
    const e = problemsOf(SANDBOX.replace(/^ {2}table: failover-control\n/m, ""));
    expect(e.issues).toEqual([{ file: "c.yaml", path: "coordination.table", line: lineOf(SANDBOX, "coordination:"), expected: "a string (the field is required)" }]);
  });

  it("reports a missing probe kind with the allowed kinds", () => {
    const e = problemsOf(SANDBOX.replace("  - kind: http\n    url", "  - url"));
    expect(e.issues[0]).toMatchObject({ path: "probes[0].kind", line: lineOf(SANDBOX, "- kind: http") });
    expect(e.expected).toMatch(/"http", "cloudwatch-alarm", "route53-health-check", "aurora", "dynamodb"/);
  });

  it("rejects unknown fields with their line, the known fields and the likely typo", () => {
    const e = problemsOf(SANDBOX.replace("  cooldown: 30m", "  cooldown: 30m\n  cooldwn: 1m"));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: "policy.cooldwn", line: lineOf(SANDBOX, "cooldown: 30m") + 1 });
    expect(e.expected).toBe(
      'no field "cooldwn" (unknown field; did you mean "cooldown"? known fields: rto, rpo, mode, cooldown, quorum, onRpoBreach, margin, decisionTime, failback, approvalTimeout)',
    );
  });

  it("lists the known fields of the probe kind the item declares", () => {
    const e = problemsOf(SANDBOX.replace("  - kind: aurora\n", "  - kind: aurora\n    url: https://x\n"));
    expect(e.issues[0]).toMatchObject({ path: "probes[1].url", line: lineOf(SANDBOX, "- kind: aurora") + 1 });
    expect(e.expected).toBe('no field "url" (unknown field; known fields: kind, name, interval, timeout)');
  });

  it("refuses an RTO of 0, a bare number, and an RTO over 15 minutes", () => {
    const line = lineOf(SANDBOX, "rto: 15m");
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 0s")).issues).toEqual([
      { file: "c.yaml", line, path: "policy.rto", expected: 'a duration of at least 1ms, got "0s"' },
    ]);
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 0")).issues[0]).toMatchObject({ line, path: "policy.rto", expected: expect.stringMatching(/^a duration such as .*got number 0$/) });
    expect(problemsOf(SANDBOX.replace("rto: 15m", "rto: 16m")).expected).toBe('a duration of at most 15m, got "16m"');
  });

  it('refuses an RTO of "10 minutes" naming the accepted forms', () => {
    const e = problemsOf(SANDBOX.replace("rto: 15m", "rto: 10 minutes"));
    expect(e.issues).toEqual([
      { file: "c.yaml", line: lineOf(SANDBOX, "rto: 15m"), path: "policy.rto", expected: 'a duration such as "500ms", "30s", "15m" or "2h", got "10 minutes"' },
    ]);
  });

  it("refuses a witness that is also an app region, at the witness line", () => {
    const text = SANDBOX.replace(/^witness: us-east-2/m, "witness: us-west-2");
    const e = problemsOf(text);
    const witness = e.issues.find((i) => i.path === "witness");
    expect(witness).toMatchObject({ line: lineOf(SANDBOX, "witness:"), expected: expect.stringMatching(/not an app region/) });
  });

  it("refuses a cluster ARN in the wrong region, at that cluster's line", () => {
    const e = problemsOf(SANDBOX.replace("arn:aws:rds:us-west-2:", "arn:aws:rds:eu-west-1:"));
    expect(e.issues).toEqual([
      {
        file: "c.yaml",
        line: lineOf(SANDBOX, "us-west-2: arn:aws:rds"),
        path: "aurora.clusters.us-west-2",
        expected: "a cluster ARN in us-west-2, got one in eu-west-1",
      },
    ]);
  });

  it("refuses an eventually consistent store in automatic mode and says why", () => {
    const e = problemsOf(SANDBOX.replace("consistency: single-region", "consistency: eventual"));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: "coordination.consistency", line: lineOf(SANDBOX, "consistency: single-region") });
    expect(e.expected).toMatch(/both sides of a partition can win the lease/);
  });

  it("lists every schema problem at once, in file order", () => {
    const file = "test/fixtures/config/many-problems.yaml";
    const text = readFileSync(file, "utf8");
    const e = problemsOf(text);
    expect(e.issues.map((i) => [i.line, i.path])).toEqual([
      [lineOf(text, "rto: 10 minutes"), "policy.rto"],
      [lineOf(text, 'quorum: "two"'), "policy.quorum"],
      [lineOf(text, "cooldwn"), "policy.cooldwn"],
      [lineOf(text, "url: 42"), "probes[1].url"],
      [lineOf(text, "coordination:"), "coordination.table"],
    ]);
    expect(e.message.split("\n")).toHaveLength(5);
    expect(e.message).toContain("c.yaml:8: policy.quorum: expected a number");
  });

  it("explains an empty file and a file that is not a mapping", () => {
    expect(problemsOf("").issues).toEqual([{ file: "c.yaml", line: undefined, path: "", expected: "a mapping of fields (the file is empty)" }]);
    expect(problemsOf("- a\n- b\n").issues[0]).toMatchObject({ path: "", line: 1, expected: "a mapping, got a list" });
  });

  it("turns a missing or unreadable file into a ConfigError naming it", async () => {
    const missing = await loadConfig("/nonexistent/failover.yaml").catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).issues).toEqual([{ file: "/nonexistent/failover.yaml", path: "", expected: "a readable YAML file (the file does not exist)" }]);
    const dir = await loadConfig("test/fixtures/config").catch((err: unknown) => err);
    expect((dir as ConfigError).expected).toBe("a readable YAML file (it is a directory)");
  });

  it("loads a file from disk with its warnings", async () => {
    const loaded = await loadConfig("config/sandbox.yaml");
    expect(loaded.file).toBe("config/sandbox.yaml");
    expect(loaded.config.application).toBe("orders");
    expect(loaded.warnings).toEqual([]);
  });
});
