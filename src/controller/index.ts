export * from "./types.js";
export * from "./mapping.js";
export * from "./controller.js";
export * from "./runbook-engine.js";
export { StepFunctionsFollower, executionName, readApprovalToken, consoleUrl } from "./sfn-follower.js";
