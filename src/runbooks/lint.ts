// Runbook lint: asl-validator for the language, then our rules for what the
// local engine and an operator on a bad day need. Each issue names the
// file, the state and the rule.

import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ConfigError, type ConfigErrorDetail } from "../core/index.js";
import { inputHasPath } from "./input.js";
import { isAllowedResource } from "./resources.js";

const require = createRequire(import.meta.url);
const aslValidator = require("asl-validator") as (
  definition: unknown,
  opts?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: { "Error code"?: string; Message?: string; path?: string }[] };

export type State = Record<string, unknown> & { Type?: string };
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
  [key: string]: unknown;
}

export interface LintIssue {
  file: string;
  state: string;
  rule: string;
  message: string;
}

export const toConfigError = (issues: readonly LintIssue[]): ConfigError =>
  new ConfigError(issues.map((i): ConfigErrorDetail => ({ file: i.file, path: i.state ? `States.${i.state}` : "", expected: `[${i.rule}] ${i.message}` })));

/** Reads and parses a runbook; invalid JSON is a ConfigError naming the file. */
export async function loadRunbook(file: string): Promise<Definition> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError({ file, path: "", expected: `a readable runbook file (${(err as Error).message})` });
  }
  try {
    return JSON.parse(text) as Definition;
  } catch (err) {
    throw new ConfigError({ file, path: "", expected: `valid JSON (${(err as Error).message})` });
  }
}

/** Every state of the definition, including those nested in Map/Parallel, with the flag "nested". */
export function allStates(def: Definition): { name: string; state: State; nested: boolean }[] {
  const out: { name: string; state: State; nested: boolean }[] = [];
  const walk = (states: Record<string, State>, nested: boolean) => {
    for (const [name, state] of Object.entries(states)) {
      out.push({ name, state, nested });
      const proc = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
      if (proc?.States) walk(proc.States, true);
      for (const b of (state.Branches as Definition[] | undefined) ?? []) walk(b.States, true);
    }
  };
  walk(def.States ?? {}, false);
  return out;
}

export function lintRunbook(def: Definition, file: string): LintIssue[] {
  const issues: LintIssue[] = [];
  const add = (state: string, rule: string, message: string) => issues.push({ file, state, rule, message });

  const asl = aslValidator(def, { checkPaths: true, checkArn: true });
  for (const e of asl.errors) add(String(e.path ?? ""), "asl", `${e["Error code"] ?? "error"}: ${e.Message ?? ""}`);
  if (typeof def.States !== "object" || def.States === null) return issues;
  if (def.QueryLanguage === "JSONata") add("", "no-jsonata", "QueryLanguage JSONata: runbooks use JSONPath only (the local engine ignores JSONata)");

  const produced = new Set<string>();
  for (const { state } of allStates(def)) {
    for (const key of ["ResultPath"]) if (typeof state[key] === "string") produced.add(String(state[key]).split(".")[1] ?? "");
    for (const c of (state.Catch as { ResultPath?: string }[] | undefined) ?? []) if (c.ResultPath) produced.add(c.ResultPath.split(".")[1] ?? "");
  }

  for (const { name, state, nested } of allStates(def)) {
    if (state.QueryLanguage === "JSONata") add(name, "no-jsonata", "JSONata is not supported: use JSONPath");
    if ("Assign" in state) add(name, "no-assign", "Assign (variables) is ignored by the local engine: pass data with ResultPath");
    if ("HeartbeatSeconds" in state || "HeartbeatSecondsPath" in state) add(name, "no-heartbeat", "HeartbeatSeconds is ignored by the local engine: use TimeoutSeconds");
    if (state.Type === "Choice" && /"Is(Present|Null|String|Numeric|Boolean|Timestamp)":false/.test(JSON.stringify(state.Choices))) {
      add(name, "no-false-type-test", 'aws-local-stepfunctions 3 evaluates "IsPresent": false (and the other Is* tests with false) as never matching: write {"Not": {..., "IsPresent": true}}');
    }
    if (state.Type === "Task") {
      const resource = typeof state.Resource === "string" ? state.Resource : "";
      if (!isAllowedResource(resource)) add(name, "allowed-resource", `Resource ${resource} is not in the allowed list (src/runbooks/resources.ts), so neither the local engine nor the IAM policy knows it`);
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) add(name, "task-timeout", "every Task needs TimeoutSeconds");
      if (!Array.isArray(state.Retry) || state.Retry.length === 0) add(name, "task-retry", "every Task needs a Retry for throttling and transient errors");
      for (const r of (state.Retry as { MaxAttempts?: number }[] | undefined) ?? []) {
        if (r.MaxAttempts === undefined || r.MaxAttempts > 10) add(name, "task-retry", "every retrier needs an explicit MaxAttempts <= 10");
      }
      const catches = (state.Catch as { ErrorEquals?: string[] }[] | undefined) ?? [];
      if (!catches.at(-1)?.ErrorEquals?.includes("States.ALL")) add(name, "task-catch", "every Task needs a Catch whose last entry is States.ALL, routed to a compensation or escalation state");
    }
    if (!nested) for (const path of readPaths(state)) checkPath(path, produced, (m) => add(name, "input-path", m));
  }
  for (const loop of unboundedLoops(def)) add(loop, "bounded-loop", "this loop has no exit on a counter or deadline (a Choice comparing $.<x>.count with Numeric*GreaterThan*)");
  return issues;
}

function checkPath(path: string, produced: Set<string>, report: (m: string) => void): void {
  if (!path.startsWith("$.")) return;
  const segments = path.slice(2).split(/[.[]/)[0] === "" ? [] : path.slice(2).replace(/\[.*$/, "").split(".");
  const first = segments[0];
  if (!first || produced.has(first)) return;
  if (!inputHasPath(segments)) report(`${path} is neither in the runbook input (src/runbooks/input.ts) nor produced by a state`);
}

/** The input paths a state reads (ResultSelector reads the task result, not the input: skipped). */
function readPaths(state: State): string[] {
  const out: string[] = [];
  const visit = (v: unknown, key = ""): void => {
    if (typeof v === "string") {
      if (key.endsWith(".$") || key.endsWith("Path") || key === "Variable") out.push(...(v.match(/(?<!\$)\$\.[A-Za-z0-9_.[\]]+/g) ?? []));
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  for (const [k, v] of Object.entries(state)) {
    if (["ResultSelector", "ItemProcessor", "Iterator", "Branches", "ResultPath", "Catch"].includes(k)) continue;
    visit(v, k);
  }
  return out;
}

/** Names of states in a cycle with no counter-guarded exit (Tarjan SCCs). */
export function unboundedLoops(def: Definition): string[] {
  const states = def.States ?? {};
  const edges = (s: State): string[] => [
    ...(typeof s.Next === "string" ? [s.Next] : []),
    ...(typeof s.Default === "string" ? [s.Default] : []),
    ...((s.Choices as { Next?: string }[] | undefined) ?? []).map((c) => c.Next ?? ""),
    ...((s.Catch as { Next?: string }[] | undefined) ?? []).map((c) => c.Next ?? ""),
  ].filter((n) => n in states);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const w of edges(states[v]!)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        scc.push(w);
      } while (w !== v);
      sccs.push(scc);
    }
  };
  for (const name of Object.keys(states)) if (!idx.has(name)) strong(name);
  const unbounded: string[] = [];
  for (const scc of sccs) {
    const cyclic = scc.length > 1 || edges(states[scc[0]!]!).includes(scc[0]!);
    if (!cyclic) continue;
    const guarded = scc.some((name) => {
      const s = states[name]!;
      return (
        s.Type === "Choice" &&
        ((s.Choices as Record<string, unknown>[] | undefined) ?? []).some(
          (c) => typeof c.Variable === "string" && /count|attempt|deadline/i.test(c.Variable) && Object.keys(c).some((k) => /^Numeric(GreaterThan|LessThan)/.test(k)) && !scc.includes(String(c.Next)),
        )
      );
    });
    if (!guarded) unbounded.push(scc.sort()[0]!);
  }
  return unbounded;
}

/** Lints every *.asl.json in a folder. */
export async function lintDirectory(dir: string): Promise<{ files: string[]; issues: LintIssue[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".asl.json")).sort();
  } catch (err) {
    throw new ConfigError({ file: dir, path: "", expected: `a readable folder of *.asl.json runbooks (${(err as Error).message})` });
  }
  if (names.length === 0) throw new ConfigError({ file: dir, path: "", expected: "at least one *.asl.json runbook" });
  const issues: LintIssue[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    files.push(file);
    try {
      issues.push(...lintRunbook(await loadRunbook(file), file));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues.push(...err.issues.map((i) => ({ file, state: "", rule: "json", message: i.expected })));
    }
  }
  return { files, issues };
}
