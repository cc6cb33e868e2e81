export * from "./schema.js";
export * from "./load.js";
export * from "./checks.js";
export * from "./budget.js";
export * from "./names.js";
export { parseYaml, parseYamlWith, formatPath, zodIssuesToDetails, type PathSegment } from "./yaml-errors.js";
export * from "./notify-schema.js";
