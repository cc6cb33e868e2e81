import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeBudget, formatBudgetTable, parseConfigText, type Config } from "../../src/config/index.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const budgetOf = (text: string) => computeBudget(parseConfigText(text, "c").config);
const msOf = (text: string, name: string) => budgetOf(text).terms.find((t) => t.name === name)?.ms;

/** The sandbox with the traffic section switched to the Route 53 records strategy. */
const RECORDS = SANDBOX.replace(/^traffic:\n(?: {2}.*\n)+/m, [
  "traffic:",
  "  strategy: records",
  "  hostedZoneId: ZSANDBOX0000001",
  "  record: orders.sandbox.internal",
  "  ttl: 30s",
  '  target: "{region}.lb.sandbox.internal"',
  "  propagation: 45s",
  "",
].join("\n"));

describe("RTO budget", () => {
  it("fits for the sandbox, with every term accounted for", () => {
    const b = budgetOf(SANDBOX);
    expect(b.terms.map((t) => t.name)).toEqual(["detection", "decision", "promotion", "traffic-flip", "dns-ttl"]);
    // http 10s x 3 + 3 tries x 2s; 20s + one 10s cycle; 2m; alarm 60s + 10s x 3; TTL 60s
    expect(b.terms.map((t) => t.ms)).toEqual([36_000, 30_000, 120_000, 90_000, 60_000]);
    expect(b).toMatchObject({ totalMs: 336_000, rtoMs: 900_000, marginMs: 60_000, fits: true, problems: [] });
    expect(b.largestTerm.name).toBe("promotion");
    for (const t of b.terms) expect(t.formula).not.toMatch(/\n/);
  });

  it("takes the slowest probe that can mark a region down, ignoring lag probes", () => {
    const alarm = SANDBOX.replace("  - kind: aurora\n", "  - kind: cloudwatch-alarm\n    alarm: a-{region}\n    interval: 60s\n    timeout: 5s\n  - kind: aurora\n");
    // 60s x 3 + 5s beats http's 36s; the dynamodb probe (60s interval) does not count.
    expect(msOf(alarm, "detection")).toBe(185_000);
    expect(budgetOf(alarm).terms[0]?.formula).toMatch(/^cloudwatch-alarm probe interval 1m x failureThreshold 3 \+ 1 x timeout 5s$/);
    expect(msOf(SANDBOX.replace("failureThreshold: 3\n  recovery", "failureThreshold: 5\n  recovery"), "detection")).toBe(56_000);
  });

  it("uses propagation for the records strategy and the TTL as its own term", () => {
    expect(msOf(RECORDS, "traffic-flip")).toBe(45_000);
    expect(msOf(RECORDS, "dns-ttl")).toBe(30_000);
  });

  it("records with us-east-1 among the regions is a problem: losing it takes the Route 53 control plane the traffic move needs", () => {
    const b = budgetOf(RECORDS);
    expect(b.fits).toBe(true);
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatch(/^traffic\.strategy records .* control plane runs in us-east-1, one of regions: losing us-east-1 leaves clients there until it returns/);
    // The same plan without us-east-1, and the data-plane strategies with it, have no such problem.
    expect(budgetOf(RECORDS.replaceAll("us-east-1", "eu-west-1")).problems).toEqual([]);
    expect(budgetOf(SANDBOX).problems).toEqual([]);
  });

  it("fits exactly when total + margin equals the RTO, not a millisecond later", () => {
    // total 5m36s + margin 9m24s = 15m
    expect(budgetOf(SANDBOX.replace("margin: 1m", "margin: 564s")).fits).toBe(true);
    const over = budgetOf(SANDBOX.replace("margin: 1m", "margin: 565s"));
    expect(over.fits).toBe(false);
    expect(over.problems).toEqual(["the worst case 5m36s + margin 9m25s exceeds the RTO 15m; the largest term is promotion 2m"]);
  });

  it("says which term is too big when detection alone exceeds the RTO", () => {
    const b = computeBudget(parseConfigText(readFileSync("test/fixtures/config/detection-too-slow.yaml", "utf8"), "f").config);
    expect(b.fits).toBe(false);
    expect(b.largestTerm.name).toBe("detection");
    expect(b.problems).toEqual(["detection 16m32s alone exceeds the RTO 15m (cloudwatch-alarm probe interval 5m30s x failureThreshold 3 + 1 x timeout 2s)"]);
  });

  it("cannot fit when no probe can mark a region down, and says so once", () => {
    const config = parseConfigText(SANDBOX, "c").config;
    const lagOnly: Config = { ...config, probes: config.probes.filter((p) => p.kind === "aurora" || p.kind === "dynamodb") };
    const b = computeBudget(lagOnly);
    expect(b.fits).toBe(false);
    expect(b.totalMs).toBe(Number.POSITIVE_INFINITY);
    expect(b.problems).toEqual(["no probe can mark a region down (add an http, cloudwatch-alarm or route53-health-check probe)"]);
    expect(formatBudgetTable(b)).toMatch(/^detection\s+never\s/m);
  });

  it("refuses automatic mode that would decide data loss blind", () => {
    const noAurora = SANDBOX.replace("  - kind: aurora\n    interval: 30s\n", "");
    expect(budgetOf(noAurora).problems).toEqual(["automatic mode needs an aurora probe: the replication lag read at decision time is the data-loss estimate"]);
    const noDynamo = SANDBOX.replace("  - kind: dynamodb\n    interval: 60s\n", "");
    expect(budgetOf(noDynamo).problems.join()).toMatch(/dynamodb probe to read ReplicationLatency/);
    // Without tables there is no DynamoDB lag to read.
    expect(budgetOf(noDynamo.replace("tables: [orders-sessions]", "tables: []")).problems).toEqual([]);
    // Manual mode: a human decides (checks.ts warns instead).
    expect(budgetOf(noAurora.replace("mode: automatic", "mode: manual")).problems).toEqual([]);
  });
});

describe("formatBudgetTable", () => {
  it("aligns names left and durations right, and ends with total, margin and verdict", () => {
    const lines = formatBudgetTable(budgetOf(SANDBOX)).split("\n");
    expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual(["term", "detection", "decision", "promotion", "traffic-flip", "dns-ttl", "total", "margin", "rto"]);
    expect(lines[6]).toMatch(/^total\s+5m36s\s{2}worst case/);
    expect(lines[8]).toMatch(/^rto\s+15m\s{2}fits$/);
    // Durations are right-aligned: every duration column ends at the same offset.
    const ends = lines.slice(1).map((l) => /^\S+\s+\S+/.exec(l)?.[0].length);
    expect(new Set(ends).size).toBe(1);
  });

  it("says DOES NOT FIT when the plan misses the RTO", () => {
    expect(formatBudgetTable(budgetOf(SANDBOX.replace("margin: 1m", "margin: 10m")))).toMatch(/^rto\s+15m\s{2}DOES NOT FIT$/m);
  });
});
