import { readFileSync } from "node:fs";
import fc from "fast-check";
import { isMap, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { cli, tempFile } from "../helpers/cli.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const NO_STACK = /\n\s+at /;

describe("failover validate", () => {
  it("exits 0 on the sandbox and prints the budget table", async () => {
    const r = await cli(["validate", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detection\s+36s/);
    expect(r.stdout).toMatch(/total\s+5m36s/);
    expect(r.stdout).toMatch(/fits the RTO/);
  });

  it("prints one JSON document with --json", async () => {
    const r = await cli(["--json", "validate", "--config", "config/sandbox.yaml"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { valid: boolean; budget: { totalMs: number; fits: boolean } };
    expect(doc).toMatchObject({ valid: true, budget: { totalMs: 336_000, fits: true } });
  });

  it("exits 1 (valid file, impossible plan) and names the term that is too big", async () => {
    const file = tempFile(SANDBOX.replace("interval: 10s\n    timeout: 2s", "interval: 6m\n    timeout: 2s"));
    const r = await cli(["validate", "--config", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/detection 18m6s alone exceeds the RTO 15m/);
  });

  it("exits 2 naming file, line, path and expectation, without a stack trace", async () => {
    const file = tempFile(SANDBOX.replace("rto: 15m", "rto: 10 minutes"));
    const r = await cli(["validate", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:10: policy.rto: expected`);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("exits 2 for a missing file and for a missing --config", async () => {
    const missing = await cli(["validate", "--config", "/nonexistent/c.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect((await cli(["validate"])).code).toBe(2);
  });

  it("never crashes on random mutations of a valid config (exit 0, 1 or 2, always a message)", async () => {
    const paths = collectPaths(parseDocument(SANDBOX).toJS() as unknown);
    const value = fc.oneof(
      fc.constant(null),
      fc.integer({ min: -5, max: 100_000 }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom("15m", "0s", "-1s", "us-east-1", "eu-west-9", "arn:aws:rds:us-east-1:1:cluster:x", "{region}"),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
    );
    const mutation = fc.oneof(
      fc.record({ op: fc.constant("delete" as const), path: fc.constantFrom(...paths) }),
      fc.record({ op: fc.constant("set" as const), path: fc.constantFrom(...paths), value }),
      fc.record({ op: fc.constant("add" as const), path: fc.constantFrom(...paths), key: fc.string({ minLength: 1, maxLength: 8 }), value }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
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
        const r = await cli(["validate", "--config", tempFile(doc.toString())]);
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stdout + r.stderr).not.toBe("");
        expect(r.stderr).not.toMatch(NO_STACK);
        expect(r.stderr).not.toMatch(/TypeError|ReferenceError/);
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
