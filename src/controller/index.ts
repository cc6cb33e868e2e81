export * from "./types.js";
export * from "./mapping.js";
export * from "./controller.js";
export * from "./sabotage.js";
export { dataLossEstimateMs, manualSteps, type FailoverOptions } from "./override.js";
export { readinessChecks, type ReadinessCheck, type ReadinessOptions } from "./readiness.js";
export * from "./runbook-engine.js";
export { StepFunctionsFollower, executionName, readApprovalToken, consoleUrl } from "./sfn-follower.js";
