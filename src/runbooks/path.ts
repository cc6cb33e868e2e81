// The path a runbook takes when every step succeeds, and the exact AWS call
// (action and region) of each Task on it: what `failover plan` prints.
// Choices that depend on the input are evaluated; choices on results not
// known yet take their first rule, which in every shipped runbook is the
// success branch (promotion done, change INSYNC, verified).

import type { RunbookInput } from "./input.js";
import type { Definition, State } from "./lint.js";
import { RUNBOOK_RESOURCES } from "./resources.js";

export interface PlannedStep {
  state: string;
  type: string;
  action?: string;
  region?: string;
  mutating?: boolean;
}

const get = (value: unknown, path: string): unknown =>
  path.replace(/^\$\.?/, "").split(".").filter(Boolean).reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);

function resolveParams(params: unknown, input: unknown): unknown {
  if (Array.isArray(params)) return params.map((p) => resolveParams(p, input));
  if (!params || typeof params !== "object") return params;
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => (k.endsWith(".$") && typeof v === "string" && v.startsWith("$.") ? [k.slice(0, -2), get(input, v)] : [k, resolveParams(v, input)])),
  );
}

function choose(state: State, input: RunbookInput): string | undefined {
  for (const rule of (state.Choices as Record<string, unknown>[] | undefined) ?? []) {
    const variable = typeof rule.Variable === "string" ? rule.Variable : undefined;
    const value = variable ? get(input, variable) : undefined;
    if (value === undefined) return String(rule.Next); // a runtime result: the success branch
    if ("StringEquals" in rule && value === rule.StringEquals) return String(rule.Next);
    if ("BooleanEquals" in rule && value === rule.BooleanEquals) return String(rule.Next);
  }
  return typeof state.Default === "string" ? state.Default : undefined;
}

export function happyPath(def: Definition, input: RunbookInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  let name: string | undefined = def.StartAt;
  for (let guard = 0; name && guard < 200; guard++) {
    const state: State | undefined = def.States[name];
    if (!state) break;
    const step: PlannedStep = { state: name, type: String(state.Type) };
    if (state.Type === "Task") {
      const spec = RUNBOOK_RESOURCES[String(state.Resource)];
      if (spec) {
        step.action = spec.action;
        step.region = spec.region(input, resolveParams(state.Parameters, input) as Record<string, unknown>);
        step.mutating = spec.kind !== "read";
      }
    }
    if (state.Type !== "Pass" && state.Type !== "Choice") steps.push(step);
    if (state.Type === "Succeed" || state.Type === "Fail" || state.End === true) break;
    // A poll loop is walked once: Wait -> Describe -> Count -> Done?
    name = state.Type === "Choice" ? choose(state, input) : typeof state.Next === "string" ? state.Next : undefined;
  }
  return steps;
}
