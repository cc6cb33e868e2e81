// The control table (lease, fencing epoch, health views, incident journal)
// as coordination.consistency says: a plain table in one region, or a global
// table whose replicas the controllers call in their own regions. It is the
// one piece of state a failover depends on, so it is never deleted by a
// stack operation: RETAIN, deletion protection, point-in-time recovery.

import { RemovalPolicy } from "aws-cdk-lib";
import { CfnGlobalTable, CfnTable } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import type { Config } from "../../src/config/index.js";
import { controlTableRegions } from "../../src/config/index.js";

// Keys of src/coordination/layout.ts: string pk and sk.
const keySchema = [
  { attributeName: "pk", keyType: "HASH" },
  { attributeName: "sk", keyType: "RANGE" },
];
const attributeDefinitions = [
  { attributeName: "pk", attributeType: "S" },
  { attributeName: "sk", attributeType: "S" },
];

export function addControlTable(scope: Construct, config: Config): CfnTable | CfnGlobalTable {
  const { coordination } = config;
  if (coordination.consistency === "single-region") {
    const table = new CfnTable(scope, "ControlTable", {
      tableName: coordination.table,
      keySchema,
      attributeDefinitions,
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtectionEnabled: true,
      sseSpecification: { sseEnabled: true },
    });
    table.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return table;
  }
  // strong: MRSC, three replicas (checked: one region set); each controller
  // talks to the replica in its own region. eventual (manual mode only):
  // MREC replicas in every controller region.
  const regions = controlTableRegions(config);
  const table = new CfnGlobalTable(scope, "ControlTable", {
    tableName: coordination.table,
    keySchema,
    attributeDefinitions,
    billingMode: "PAY_PER_REQUEST",
    multiRegionConsistency: coordination.consistency === "strong" ? "STRONG" : "EVENTUAL",
    // Global tables replicate through streams (CloudFormation requires them with more than one replica).
    streamSpecification: { streamViewType: "NEW_AND_OLD_IMAGES" },
    sseSpecification: { sseEnabled: true },
    replicas: regions.map((region) => ({
      region,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtectionEnabled: true,
    })),
  });
  table.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return table;
}
