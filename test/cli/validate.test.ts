import { readFileSync } from "node:fs";
import fc from "fast-check";
import { isMap, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { validateCommand, type ExtraCheck, type ValidateReport } from "../../src/cli/commands/validate.js";
import type { CliIo } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/program.js";
import { ConfigError } from "../../src/core/index.js";
import { cli, tempFile, type CliRun } from "../helpers/cli.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const TOO_SLOW = "test/fixtures/config/detection-too-slow.yaml";
const NO_STACK = /\n\s+at /;

/** runCli with only `validate`, its extra checks given: the coordinator's hook point. */
async function validateWith(checks: ExtraCheck[], argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, env: {}, cwd: process.cwd() };
  const code = await runCli(argv, io, [validateCommand(checks)]);
  return { code, stdout, stderr };
}

describe("failover validate", () => {
  it("exits 0 on the sandbox and prints the budget table", async () => {
    const r = await cli(["validate", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config\/sandbox\.yaml: valid$/m);
    expect(r.stdout).toMatch(/^detection\s+36s\s+http probe interval 10s x failureThreshold 3/m);
    expect(r.stdout).toMatch(/^total\s+5m36s/m);
    expect(r.stdout).toMatch(/fits the RTO/);
    expect(r.stderr).toBe("");
  });

  it("exits 0 on the commented example config", async () => {
    const r = await cli(["validate", "--config", "config/example.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rto\s+15m\s+fits$/m);
  });

  it("prints one JSON document with --json", async () => {
    const r = await cli(["--json", "validate", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ValidateReport;
    expect(doc).toMatchObject({ file: "config/sandbox.yaml", valid: true, warnings: [], problems: [], errors: [] });
    expect(doc.budget).toMatchObject({ totalMs: 336_000, rtoMs: 900_000, marginMs: 60_000, fits: true, largestTerm: "promotion" });
    expect(doc.budget?.terms.map((t) => t.name)).toEqual(["detection", "decision", "promotion", "traffic-flip", "dns-ttl"]);
  });

  it("exits 1 (valid file, impossible plan) and names the term that is too big", async () => {
    const r = await cli(["validate", "--config", TOO_SLOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^rto\s+15m\s+DOES NOT FIT$/m);
    expect(r.stdout).toMatch(/^- detection 16m32s alone exceeds the RTO 15m/m);
    const json = await cli(["--json", "validate", "--config", TOO_SLOW]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, budget: { fits: false, largestTerm: "detection" }, problems: [expect.stringMatching(/^detection 16m32s alone/)] });
  });

  it("exits 1 for an automatic config that cannot observe replication lag", async () => {
    const r = await cli(["validate", "--config", tempFile(SANDBOX.replace("  - kind: aurora\n    interval: 30s\n", ""))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/automatic mode needs an aurora probe/);
  });

  it("exits 2 naming file, line, path and expectation, without a stack trace", async () => {
    const file = tempFile(SANDBOX.replace("rto: 15m", "rto: 10 minutes"));
    const r = await cli(["validate", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`failover: ${file}:10: policy.rto: expected a duration such as "500ms", "30s", "15m" or "2h", got "10 minutes"\n`);
    expect(r.stdout).toBe("");
  });

  it("exits 2 listing every problem of a file at once", async () => {
    const r = await cli(["validate", "--config", "test/fixtures/config/many-problems.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(5);
    expect(r.stderr).toContain("many-problems.yaml:9: policy.cooldwn: expected no field \"cooldwn\"");
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("with --json, still prints one document for invalid input, and exits 2", async () => {
    const file = tempFile(SANDBOX.replace("consistency: single-region", "consistency: eventual"));
    const r = await cli(["--json", "validate", "--config", file]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as ValidateReport;
    expect(doc).toMatchObject({ file, valid: false, budget: null, problems: [] });
    expect(doc.errors).toEqual([{ file, line: 67, path: "coordination.consistency", expected: expect.stringMatching(/partition/) }]);
    expect(r.stderr).toMatch(/coordination\.consistency/);
  });

  it("exits 2 for a missing file and for a missing --config", async () => {
    const missing = await cli(["validate", "--config", "/nonexistent/c.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("failover: /nonexistent/c.yaml: expected a readable YAML file (the file does not exist)\n");
    const noFlag = await cli(["validate"]);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toMatch(/--config/);
  });

  it("prints warnings on stderr and still exits 0", async () => {
    const r = await cli(["validate", "--config", tempFile(SANDBOX.replace("region: us-east-2 ", "region: us-east-1 "))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: coordination\.region us-east-1 is an app region/m);
  });

  it("runs extra checks: their problems exit 1, their ConfigErrors exit 2", async () => {
    const seen: string[] = [];
    const finds: ExtraCheck = (config, file) => {
      seen.push(`${config.application}@${file}`);
      return Promise.resolve(["runbook failover.asl.json: no Catch on PromoteAurora"]);
    };
    const ok = await validateWith([finds], ["validate", "--config", "config/sandbox.yaml"]);
    expect(seen).toEqual(["orders@config/sandbox.yaml"]);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toMatch(/^- runbook failover\.asl\.json: no Catch on PromoteAurora$/m);

    const invalid: ExtraCheck = () => Promise.reject(new ConfigError({ file: "runbooks/failover.asl.json", path: "States.Promote.Retry", expected: "a Retry list" }));
    const bad = await validateWith([invalid], ["validate", "--config", "config/sandbox.yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("failover: runbooks/failover.asl.json: States.Promote.Retry: expected a Retry list\n");
  });

  it("never crashes on random mutations of a valid config (exit 0, 1 or 2, always a message)", { timeout: 180_000 }, async () => {
    const paths = collectPaths(parseDocument(SANDBOX).toJS() as unknown);
    const value = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -5, max: 100_000 }),
      fc.double({ noNaN: false }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom("15m", "0s", "-1s", "1h", "99999h", "us-east-1", "eu-west-9", "arn:aws:rds:us-east-1:1:cluster:x", "{region}", "strong", "eventual"),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
    );
    const mutation = fc.oneof(
      fc.record({ op: fc.constant("delete" as const), path: fc.constantFrom(...paths) }),
      fc.record({ op: fc.constant("set" as const), path: fc.constantFrom(...paths), value }),
      fc.record({ op: fc.constant("add" as const), path: fc.constantFrom(...paths), key: fc.string({ minLength: 1, maxLength: 8 }), value }),
    );
    // Raw text damage too: YAML that does not parse must also end in exit 2.
    const textDamage = fc.option(fc.record({ at: fc.nat(), insert: fc.constantFrom("\t", ":", "[", "- ", "\n  ", "'", "{", "&a", "*a") }), { freq: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), textDamage, fc.boolean(), async (mutations, damage, json) => {
        const doc = parseDocument(SANDBOX);
        for (const m of mutations) {
          try {
            if (m.op === "delete") doc.deleteIn(m.path);
            else if (m.op === "set") doc.setIn(m.path, m.value);
            else if (isMap(doc.getIn(m.path, true))) doc.setIn([...m.path, m.key], m.value);
          } catch {
            // an earlier mutation removed this path's parent: the mutation does not apply
          }
        }
        let text = doc.toString();
        if (damage) {
          const at = damage.at % (text.length + 1);
          text = text.slice(0, at) + damage.insert + text.slice(at);
        }
        const r = await cli([...(json ? ["--json"] : []), "validate", "--config", tempFile(text)]);
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stdout + r.stderr).not.toBe("");
        // Bad input names a file (the config, or a runbook it points to) and what was expected.
        if (r.code === 2) expect(r.stderr).toMatch(/^failover: .+: (.+: )?expected /);
        if (json) expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
        expect(r.stderr).not.toMatch(NO_STACK);
        expect(r.stderr).not.toMatch(/TypeError|ReferenceError|RangeError/);
      }),
      { numRuns: 200 },
    );
  });
});

function collectPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...collectPaths(v, [...prefix, i])));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...collectPaths(v, [...prefix, k]));
  }
  return out;
}
