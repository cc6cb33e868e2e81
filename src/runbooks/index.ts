export * from "./input.js";
export * from "./resources.js";
export * from "./lint.js";
export * from "./local-engine.js";
export * from "./sfn-engine.js";
export * from "./deploy.js";
export { bindings, globalClusterToSdk } from "./bind.js";
export { happyPath, type PlannedStep } from "./path.js";
export { ProgressTracker, type RunbookProgress, type StepProgress, type StepStatus } from "./progress.js";
