import type { Config } from "../../src/config/index.js";

/** The sandbox moved to record changes: with us-east-1 among its regions, a plan `failover validate` refuses (exit 1). */
export const recordsTraffic: Config["traffic"] = { strategy: "records", hostedZoneId: "Z0SANDBOX", record: "db.orders.example.com", ttl: 60_000, recordType: "CNAME", target: "db.{region}.orders.example.com", routing: "simple", propagation: 60_000 };
