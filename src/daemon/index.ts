export * from "./logger.js";
export * from "./metrics.js";
export * from "./http-server.js";
export * from "./scheduler.js";
export * from "./daemon.js";
export { STATUS_PAGE_HTML } from "./status-page.js";
export { fetchHttp } from "./fetch-http.js";
export { startSandbox, sandboxScenario, type Sandbox } from "./sandbox.js";
export * from "./aws-metrics.js";
