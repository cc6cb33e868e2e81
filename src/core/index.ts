export * from "./types.js";
export * from "./clock.js";
export * from "./random.js";
export * from "./duration.js";
export * from "./errors.js";
export * from "./journal.js";
