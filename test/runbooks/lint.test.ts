// Runbook lint: every rule is shown catching one defect planted in the
// shipped failover runbook, and the runbook as shipped is clean. Each case
// derives its input from runbooks/failover.asl.json with the one change it
// needs, so a change to the runbook cannot leave stale copies behind; a
// mutation whose target state is gone fails loudly instead of testing nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { loadConfig } from "../../src/config/index.js";
import { RUNBOOK_RESOURCES, allStates, lintDirectory, type Definition, type State } from "../../src/runbooks/index.js";
import { cli, type CliRun } from "../helpers/cli.js";
import { definition } from "./harness.js";

const SHIPPED = "runbooks/failover.asl.json";
const SHIPPED_TEXT = readFileSync(SHIPPED, "utf8");

/** The named top-level state, or an error that says the runbook changed under the test. */
function stateOf(def: Definition, name: string): State {
  const state = def.States[name];
  if (!state) throw new Error(`${SHIPPED} has no state ${name}: update this lint case to the runbook`);
  return state;
}

/** Every object nested in `v` (depth first), for mutations that look for a shape rather than a path. */
function* objects(v: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(v)) for (const x of v) yield* objects(x);
  else if (v && typeof v === "object") {
    yield v as Record<string, unknown>;
    for (const x of Object.values(v)) yield* objects(x);
  }
}

function findOne(v: unknown, what: string, match: (o: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = [...objects(v)].find(match);
  if (!found) throw new Error(`${SHIPPED}: no ${what} to mutate: update this lint case to the runbook`);
  return found;
}

interface Case {
  /** File name of the mutated copy in the CLI test; unique. */
  id: string;
  rule: string;
  /** The state the issue must name ("" for issues about the whole definition). */
  state: string;
  /** Other rules the same defect legitimately trips (asl-validator also refuses state-level JSONata). */
  also?: string[];
  mutate?: (def: Definition) => void;
  /** For defects below the JSON level: a change to the file's text. */
  text?: (text: string) => string;
}

const CASES: Case[] = [
  { id: "json", rule: "json", state: "", text: (t) => t.slice(0, Math.floor(t.length / 2)) },
  { id: "asl", rule: "asl", state: "", mutate: (d) => void (stateOf(d, "PromoteTarget").Next = "Nowhere") },
  {
    id: "allowed-resource",
    rule: "allowed-resource",
    state: "PromoteTarget",
    mutate: (d) => void (stateOf(d, "PromoteTarget").Resource = "arn:aws:states:::aws-sdk:rds:removeFromGlobalCluster"),
  },
  {
    id: "bounded-loop",
    rule: "bounded-loop",
    state: "CountPromotionPoll",
    // The poll loop's only counter exit becomes a status test: the loop can spin forever.
    mutate: (d) => {
      const guard = findOne(stateOf(d, "IsPromotionDone").Choices, "counter guard", (c) => c.Variable === "$.poll.count");
      delete guard.NumericGreaterThanEqualsPath;
      Object.assign(guard, { Variable: "$.promotion.cluster.Status", StringEquals: "failed" });
    },
  },
  {
    id: "input-path",
    rule: "input-path",
    state: "PromoteTarget",
    mutate: (d) => void ((stateOf(d, "PromoteTarget").Parameters as Record<string, unknown>)["TargetDbClusterIdentifier.$"] = "$.target.clusterArn"),
  },
  { id: "no-assign", rule: "no-assign", state: "InitPromotionPoll", mutate: (d) => void (stateOf(d, "InitPromotionPoll").Assign = { x: 1 }) },
  {
    id: "no-false-type-test",
    rule: "no-false-type-test",
    state: "IsPromotionDone",
    // {"Not": {"Variable": v, "IsPresent": true}} written the way aws-local-stepfunctions never matches.
    mutate: (d) => {
      const holder = findOne(stateOf(d, "IsPromotionDone").Choices, "Not/IsPresent test", (o) => (o.Not as Record<string, unknown> | undefined)?.IsPresent === true);
      const inner = holder.Not as Record<string, unknown>;
      delete holder.Not;
      Object.assign(holder, { Variable: inner.Variable, IsPresent: false });
    },
  },
  { id: "no-heartbeat", rule: "no-heartbeat", state: "PromoteTarget", mutate: (d) => void (stateOf(d, "PromoteTarget").HeartbeatSeconds = 10) },
  { id: "no-jsonata-state", rule: "no-jsonata", state: "InitPromotionPoll", also: ["asl"], mutate: (d) => void (stateOf(d, "InitPromotionPoll").QueryLanguage = "JSONata") },
  { id: "no-jsonata-top", rule: "no-jsonata", state: "", also: ["asl"], mutate: (d) => void (d.QueryLanguage = "JSONata") },
  {
    id: "task-catch",
    rule: "task-catch",
    state: "PromoteTarget",
    mutate: (d) => {
      const catches = stateOf(d, "PromoteTarget").Catch as { ErrorEquals: string[] }[];
      catches.at(-1)!.ErrorEquals = ["Rds.InvalidGlobalClusterStateFault"];
    },
  },
  { id: "task-retry", rule: "task-retry", state: "PromoteTarget", mutate: (d) => void delete stateOf(d, "PromoteTarget").Retry },
  {
    id: "task-retry-unbounded",
    rule: "task-retry",
    state: "PromoteTarget",
    mutate: (d) => void delete (stateOf(d, "PromoteTarget").Retry as Record<string, unknown>[])[0]!.MaxAttempts,
  },
  { id: "task-timeout", rule: "task-timeout", state: "PromoteTarget", mutate: (d) => void delete stateOf(d, "PromoteTarget").TimeoutSeconds },
];

/** The shipped runbook's text with the case's one defect. */
function mutatedText(c: Case): string {
  if (c.text) return c.text(SHIPPED_TEXT);
  const def = JSON.parse(SHIPPED_TEXT) as Definition;
  c.mutate!(def);
  return JSON.stringify(def, null, 2);
}

const scratch = mkdtempSync(join(tmpdir(), "failover-lint-one-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Lints `text` as a runbook file, through the same path as `failover runbooks validate` (JSON errors included). */
async function lintText(text: string, name = "failover") {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  writeFileSync(join(dir, `${name}.asl.json`), text);
  return (await lintDirectory(dir)).issues;
}

/** Every rule name the lint can report, read from its source: a new rule without a case here fails the suite. */
function rulesInLint(): string[] {
  const src = readFileSync("src/runbooks/lint.ts", "utf8");
  const names = [...src.matchAll(/\badd\([^;]*?,\s*"([a-z-]+)",/g), ...src.matchAll(/\brule: "([a-z-]+)"/g)].map((m) => m[1]!);
  return [...new Set(names)].sort();
}

describe("runbook lint, one planted defect per rule", () => {
  it("finds nothing in the shipped runbooks", async () => {
    expect(await lintText(SHIPPED_TEXT)).toEqual([]);
    expect((await lintDirectory("runbooks")).issues).toEqual([]);
  });

  it("has a case for every rule the lint reports", () => {
    const rules = rulesInLint();
    expect(rules.length).toBeGreaterThanOrEqual(12);
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual(rules);
  });

  it.each(CASES.map((c) => [c.id, c.rule, c] as const))("%s: catches the %s defect", async (_id, _rule, c) => {
    const text = mutatedText(c);
    expect(text).not.toBe(SHIPPED_TEXT);
    const issues = await lintText(text, c.id);
    expect(issues.filter((i) => i.rule === c.rule).map((i) => i.state)).toContain(c.state);
    // Exactly this defect: no other rule fires, so the case tests what it says.
    expect([...new Set(issues.map((i) => i.rule))].sort()).toEqual([c.rule, ...(c.also ?? [])].sort());
  });

  it("fails loudly when a case's target state is gone from the runbook (instead of testing nothing)", () => {
    const renamed = JSON.parse(SHIPPED_TEXT) as Definition;
    renamed.States.PromoteTargetRenamed = renamed.States.PromoteTarget!;
    delete renamed.States.PromoteTarget;
    expect(() => CASES.find((c) => c.id === "task-timeout")!.mutate!(renamed)).toThrow(/has no state PromoteTarget/);
    const noGuard = JSON.parse(SHIPPED_TEXT) as Definition;
    stateOf(noGuard, "IsPromotionDone").Choices = [];
    expect(() => CASES.find((c) => c.id === "bounded-loop")!.mutate!(noGuard)).toThrow(/no counter guard to mutate/);
  });

  it("fails validation (not execution) when a runbook reads an input field the controller does not provide", async () => {
    const issues = await lintText(mutatedText(CASES.find((c) => c.id === "input-path")!));
    expect(issues.find((i) => i.rule === "input-path")).toMatchObject({ state: "PromoteTarget", message: expect.stringContaining("$.target.clusterArn") });
  });
});

describe("failover runbooks validate", () => {
  let dir: string;
  let run: CliRun;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "failover-lint-"));
    for (const c of CASES) writeFileSync(join(dir, `${c.id}.asl.json`), mutatedText(c));
    run = await cli(["runbooks", "validate", dir]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts the shipped runbooks (exit 0)", async () => {
    const r = await cli(["runbooks", "validate", "runbooks/"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("runbooks/failover.asl.json: valid");
  });

  it("exits 2 on a folder of defective runbooks", () => {
    expect(run.code).toBe(2);
  });

  it.each(CASES.map((c) => [c.id, c.rule, c] as const))("names %s's file, state and rule [%s]", (_id, _rule, c) => {
    const file = join(dir, `${c.id}.asl.json`);
    const line = run.stderr.split("\n").find((l) => l.includes(file) && l.includes(`[${c.rule}]`));
    expect(line, run.stderr).toBeDefined();
    if (c.state) expect(line).toContain(`States.${c.state}`);
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
