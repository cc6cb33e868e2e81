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

/** A rule's outcome against the input: true, false, or undefined when it reads a result not known before the run. */
function holds(rule: Record<string, unknown>, input: RunbookInput): boolean | undefined {
  if (Array.isArray(rule.And)) {
    const parts = (rule.And as Record<string, unknown>[]).map((r) => holds(r, input));
    return parts.includes(false) ? false : parts.every((p) => p === true) ? true : undefined;
  }
  if (Array.isArray(rule.Or)) {
    const parts = (rule.Or as Record<string, unknown>[]).map((r) => holds(r, input));
    return parts.includes(true) ? true : parts.every((p) => p === false) ? false : undefined;
  }
  if (rule.Not && typeof rule.Not === "object") {
    const inner = holds(rule.Not as Record<string, unknown>, input);
    return inner === undefined ? undefined : !inner;
  }
  const value = typeof rule.Variable === "string" ? get(input, rule.Variable) : undefined;
  if (value === undefined) return undefined;
  if ("StringEquals" in rule) return value === rule.StringEquals;
  if ("BooleanEquals" in rule) return value === rule.BooleanEquals;
  return undefined;
}

function choose(state: State, input: RunbookInput): string | undefined {
  for (const rule of (state.Choices as Record<string, unknown>[] | undefined) ?? []) {
    // A rule on a runtime result: its branch, the success branch in every shipped runbook.
    if (holds(rule, input) !== false) return String(rule.Next);
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
