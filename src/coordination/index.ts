export * from "./layout.js";
export * from "./lease.js";
export * from "./store.js";
