export * from "./types.js";
export * from "./mapping.js";
export * from "./controller.js";
export * from "./sabotage.js";
