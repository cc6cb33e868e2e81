// The control table as DynamoDB multi-region strong consistency (MRSC)
// answers it (reference/aws-apis.md, DynamoDB global tables): three regions
// of one region set, three replicas or two plus a witness. A controller
// talks to the replica in its own region (DESIGN.md, second wave); a write,
// and a strongly consistent read, succeeds only when that replica can reach
// a majority of the three regions, itself included. So the minority side of
// a partition cannot take the lease or fence, and no quorum logic of ours
// sits on the write path.
//
// Writes replicate synchronously before they succeed (RPO 0), so the world
// keeps one copy of the items (`world.control`): every answer that this
// check lets through reads and writes the same state, which is what a
// majority-acknowledged write guarantees.
//
// With consistency single-region the table exists in coordination.region
// only, as before; reaching it is the middleware's business.

import { DynamoDBServiceException, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { replicaRegions } from "../config/index.js";
import type { World } from "./world.js";

const META = { $metadata: {} };

/** The three regions of the MRSC region set: the app regions and the witness. */
export function mrscMembers(w: World): string[] {
  return [...new Set([...w.config.regions, ...(w.config.witness ? [w.config.witness] : [])])];
}

/** Whether the replica in `region` can reach a majority of the region set now. */
export function replicaHasMajority(w: World, region: string): boolean {
  const members = mrscMembers(w);
  // A member (replica or MRSC witness) votes when its DynamoDB is up and the replica can reach it.
  const reached = members.filter((m) => m === region || (!w.faults.partitioned(region, m) && !w.faults.regionDown(m, "dynamodb")));
  return reached.length * 2 > members.length;
}

/**
 * Throws what the control table's replica in `region` answers instead of
 * serving the command, or returns when it serves it.
 */
export function checkControlReplica(w: World, region: string, command: string): void {
  const table = w.config.coordination.table;
  const replicas = replicaRegions(w.config);
  if (!replicas.includes(region)) {
    throw new ResourceNotFoundException({ message: `table ${table} has no replica in ${region} (replicas: ${replicas.join(", ")})`, ...META });
  }
  if (w.config.coordination.consistency !== "strong" || replicaHasMajority(w, region)) return;
  // Unavailability, not a conflict: a 5xx the SDK and the controller treat as transient.
  throw new DynamoDBServiceException({
    name: "InternalServerError",
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
    message: `${command}: the ${table} replica in ${region} cannot reach a majority of ${mrscMembers(w).join(", ")} (simulated MRSC)`,
  });
}
