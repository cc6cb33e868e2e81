// The scenario-level override that runs a game day with the other runbook
// engine: `controller: { runbooks: { engine: step-functions } }`, with the
// MRSC control table that engine requires (a Step Functions execution
// reaches the control table only in its own region). Game days and sweeps
// run both ways with it, so the two engines are held to the same verdicts.

import type { Scenario } from "./scenario.js";

export type EngineName = "local" | "step-functions";

export function withRunbookEngine(scenario: Scenario, engine: EngineName): Scenario {
  if (engine === "local") return scenario;
  const controller = structuredClone(scenario.controller ?? {});
  const runbooks = (controller.runbooks ?? {}) as Record<string, unknown>;
  const coordination = (controller.coordination ?? {}) as Record<string, unknown>;
  controller.runbooks = { ...runbooks, engine };
  // A scenario that chose its own replicas keeps them (validation says if they do not fit).
  controller.coordination = { ...coordination, consistency: "strong" };
  return { ...scenario, controller };
}
