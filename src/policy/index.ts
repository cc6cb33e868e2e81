export * from "./decide.js";
export * from "./params.js";
export * from "./quorum-rule.js";
