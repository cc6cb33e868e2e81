// DynamoDB replica states in the simulated world: ACTIVE unless a test (or
// a drill rehearsal) sets another (REGION_DISABLED, UPDATING, ...), so the
// readiness checks can be seen turning red and, once the replica is
// "fixed", green again. Beside the World, keyed by it, like sns.ts.

import type { World } from "./world.js";

const states = new WeakMap<World, Map<string, string>>();
const key = (table: string, region: string) => `${table}@${region}`;

/** Sets a replica's ReplicaStatus; "ACTIVE" restores the default. */
export function setReplicaStatus(w: World, table: string, region: string, status: string): void {
  const m = states.get(w) ?? new Map<string, string>();
  if (status === "ACTIVE") m.delete(key(table, region));
  else m.set(key(table, region), status);
  states.set(w, m);
  w.event("dynamodb.replica", { table, region, status });
}

export function replicaStatus(w: World, table: string, region: string): string {
  return states.get(w)?.get(key(table, region)) ?? "ACTIVE";
}
