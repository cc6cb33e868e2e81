export * from "./types.js";
export * from "./http-client.js";
export * from "./run.js";
export { probeHttp } from "./http.js";
export { probeAlarm, probeRoute53HealthChecks } from "./alarms.js";
export { probeAurora, probeDynamoDb } from "./replication.js";
