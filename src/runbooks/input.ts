// The one input every runbook receives, exactly as the controller builds it.
// The lint checks every `$.path` a runbook reads against this schema, so a
// runbook that needs a field the controller does not provide fails
// validation, not a 3 a.m. execution.

import { z } from "zod";

const region = z.string().min(1);

export const runbookInputSchema = z.strictObject({
  /** Incident id; also the execution name (StartExecution is idempotent on it). */
  incidentId: z.string().min(1),
  /** Fencing epoch of the lease this run acts under. */
  epoch: z.number().int().min(1),
  application: z.string().min(1),
  globalClusterId: z.string().min(1),
  fromRegion: region,
  fromClusterArn: z.string().min(1),
  targetRegion: region,
  targetClusterArn: z.string().min(1),
  control: z.strictObject({ table: z.string(), region, pk: z.string(), sk: z.string() }),
  traffic: z.strictObject({
    strategy: z.enum(["health-check", "records", "routing-control"]),
    hostedZoneId: z.string(),
    record: z.string(),
    /** Kill-switch metric (health-check strategy). */
    namespace: z.string(),
    metricName: z.string(),
    /** Seconds to let health checks and resolvers follow the kill switch before verifying. */
    settleSeconds: z.number().int().min(0),
    /** Seconds for clients to leave the old region once traffic has moved: settle, the TTL, a margin (failover, clientDrain before-promotion). */
    drainSeconds: z.number().int().min(0),
    /** health-check: when the old region's kill switch could not be written (DrainOldRegion failed), how long its last 1 takes to lapse (missing data breaching), waited before drainSeconds. */
    switchLapseSeconds: z.number().int().min(0),
    /** records strategy. */
    recordType: z.string(),
    ttlSeconds: z.number().int().min(0),
    targetValue: z.string(),
    /** records: the old region's value, which the compensation of a refused promotion restores (optional: runs journaled before it existed escalate without restoring). */
    fromValue: z.string().optional(),
    /** routing-control (optional so other strategies' inputs need not carry them): the controls of the target (turned On) and of the old region (turned Off), in one call. */
    targetControlArn: z.string().optional(),
    fromControlArn: z.string().optional(),
    /**
     * Safety rules the flip may override: empty unless an operator asked for
     * it explicitly (`failover --to R --override-safety-rules ARN,...`); the
     * automatic path never overrides one.
     */
    safetyRulesToOverride: z.array(z.string()).optional(),
    /** routing-control: the cluster's endpoints, tried in turn by the local engine (journaled with the input, so a resumed run uses the same). */
    clusterEndpoints: z.array(z.strictObject({ region, endpoint: z.string().min(1) })).optional(),
  }),
  /**
   * failover: "before-promotion" when the old writer still answers (an
   * observer reached its Aurora member after the incident began), so Aurora
   * may be unable to fence it: traffic moves and clients leave before the
   * target is promoted. "after-promotion": the usual order, traffic moves
   * while Aurora promotes. The runbook overwrites it as it goes.
   */
  clientDrain: z.enum(["after-promotion", "before-promotion"]),
  /**
   * "unconfirmed" when the target's RDS API names its own cluster the
   * writer but the controller does not trust that claim (an old primary it
   * saw replaced, which Aurora could not fence: controller/writer-trust.ts).
   * The runbook then promotes it (or switches over to it) rather than
   * skipping that on the target's word, which would send clients to a
   * writer the fence later discards. Absent: the target's answer is taken
   * as it is.
   */
  targetWriterView: z.enum(["unconfirmed"]).optional(),
  dynamodbTables: z.array(z.string()),
  limits: z.strictObject({ pollSeconds: z.number().int().min(1), maxPolls: z.number().int().min(1) }),
  approval: z.strictObject({ required: z.boolean(), timeoutSeconds: z.number().int().min(1) }),
});

export type RunbookInput = z.infer<typeof runbookInputSchema>;

/** Whether `$.a.b` names a field of the runbook input (or something a state added: $.error, $.poll...). */
export function inputHasPath(path: readonly string[]): boolean {
  let schema: z.ZodType = runbookInputSchema;
  for (const key of path) {
    const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape) return (schema as unknown as { def?: { type?: string } }).def?.type === "array";
    const next = shape[key];
    if (!next) return false;
    schema = next;
  }
  return true;
}
