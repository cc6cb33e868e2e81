// The lease and its fencing epoch on a strongly consistent DynamoDB item.
//
// Why two controllers never both act:
// 1. Taking over needs `expiresAt < :cutoff` where cutoff = taker's now -
//    maxClockSkew. With clocks at most maxClockSkew apart, when that holds
//    the old holder's own clock is already past expiresAt, and the holder
//    stops acting at expiresAt - safety margin by its own clock.
// 2. Taking over bumps `epoch` (ADD epoch :one); renewing never does. Every
//    mutating step first fences on `epoch = :myEpoch`, so a holder that lost
//    the lease (paused process, skewed clock beyond the bound) is refused by
//    the store itself, whatever its clock says.
// Each process has its own owner id (region + instance), so a restarted
// controller takes over under a new epoch instead of resuming as a ghost.

import type { AwsCallError } from "../core/index.js";
import type { DynamoDbApi } from "../aws/index.js";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { controlKey } from "./layout.js";

export interface ControlRecord {
  owner?: string;
  epoch: number;
  expiresAtMs: number;
  activeRegion?: string;
  lastFailoverAtMs?: number;
  incidentId?: string;
  /** An incident whose last run failed and will be tried again: the next holder continues it (set and cleared with the marker). */
  retryIncidentId?: string;
  /** The active region the last runbook moved away from (written with activeRegion): an old primary whose own word about being the writer no longer counts. */
  replacedRegion?: string;
  /**
   * The outage the holder is handling, written with each lease renewal while
   * it sees the active region down: the region, since when (its incident's
   * first-down time) and when it last said so. A holder that takes over, or
   * the same one restarted, continues that outage's clock instead of
   * starting the RTO over (controller.ts sharedOutageStart).
   */
  outage?: Outage;
}

export interface Outage {
  region: string;
  sinceMs: number;
  seenAtMs: number;
}

export type LeaseResult =
  | { held: true; epoch: number; expiresAtMs: number; tookOver: boolean }
  | { held: false; holder?: string; epoch: number; expiresAtMs: number };

/** A destructive step's answer: never a bare boolean. */
export type FenceResult = { status: "done" } | { status: "lost"; detail: string } | { status: "retry-later"; error: AwsCallError };

export interface LeaseOptions {
  tableName: string;
  application: string;
  owner: string;
  leaseMs: number;
  maxClockSkewMs: number;
}

export const isConditionFailure = (err: unknown): boolean =>
  typeof err === "object" && err !== null && (err as { code?: unknown }).code === "ConditionalCheckFailedException";

export class Lease {
  constructor(
    private readonly db: DynamoDbApi,
    private readonly opts: LeaseOptions,
  ) {}

  private get key() {
    return marshall(controlKey(this.opts.application));
  }

  async read(): Promise<ControlRecord | undefined> {
    const item = await this.db.getItem({ tableName: this.opts.tableName, key: this.key, consistentRead: true });
    if (!item) return undefined;
    const raw = unmarshall(item) as Record<string, unknown>;
    return {
      ...(typeof raw.owner === "string" && { owner: raw.owner }),
      epoch: typeof raw.epoch === "number" ? raw.epoch : 0,
      expiresAtMs: typeof raw.expiresAt === "number" ? raw.expiresAt : 0,
      ...(typeof raw.activeRegion === "string" && { activeRegion: raw.activeRegion }),
      ...(typeof raw.lastFailoverAtMs === "number" && { lastFailoverAtMs: raw.lastFailoverAtMs }),
      ...(typeof raw.incidentId === "string" && raw.incidentId !== "" && { incidentId: raw.incidentId }),
      ...(typeof raw.retryIncidentId === "string" && raw.retryIncidentId !== "" && { retryIncidentId: raw.retryIncidentId }),
      ...(typeof raw.replacedRegion === "string" && raw.replacedRegion !== "" && { replacedRegion: raw.replacedRegion }),
      ...(typeof raw.outageRegion === "string" && raw.outageRegion !== "" && typeof raw.outageSinceMs === "number" && typeof raw.outageSeenAtMs === "number" && {
        outage: { region: raw.outageRegion, sinceMs: raw.outageSinceMs, seenAtMs: raw.outageSeenAtMs },
      }),
    };
  }

  /**
   * Renews a lease we hold (same epoch) or takes over a free/expired one
   * (epoch + 1). `outage`: the outage the holder sees (region and since when),
   * written in the same call with `seenAtMs` = nowMs.
   */
  async acquire(nowMs: number, heldEpoch?: number, outage?: Omit<Outage, "seenAtMs">): Promise<LeaseResult> {
    const expiresAtMs = nowMs + this.opts.leaseMs;
    const noted = outage ? { set: ", outageRegion = :or, outageSinceMs = :os, outageSeenAtMs = :oa", values: { ":or": outage.region, ":os": outage.sinceMs, ":oa": nowMs } } : { set: "", values: {} };
    if (heldEpoch !== undefined) {
      try {
        await this.db.updateItem({
          tableName: this.opts.tableName,
          key: this.key,
          updateExpression: `SET expiresAt = :exp${noted.set}`,
          conditionExpression: "#owner = :me AND epoch = :epoch",
          names: { "#owner": "owner" },
          values: marshall({ ":exp": expiresAtMs, ":me": this.opts.owner, ":epoch": heldEpoch, ...noted.values }),
        });
        return { held: true, epoch: heldEpoch, expiresAtMs, tookOver: false };
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        // Lost it (someone took over): fall through to a normal attempt.
      }
    }
    try {
      const out = await this.db.updateItem({
        tableName: this.opts.tableName,
        key: this.key,
        updateExpression: `SET #owner = :me, expiresAt = :exp${noted.set} ADD epoch :one`,
        conditionExpression: "attribute_not_exists(pk) OR attribute_not_exists(#owner) OR expiresAt < :cutoff",
        names: { "#owner": "owner" },
        values: marshall({ ":me": this.opts.owner, ":exp": expiresAtMs, ":one": 1, ":cutoff": nowMs - this.opts.maxClockSkewMs, ...noted.values }),
      });
      const epoch = Number(unmarshall(out).epoch);
      return { held: true, epoch, expiresAtMs, tookOver: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.read();
      return { held: false, ...(current?.owner !== undefined && { holder: current.owner }), epoch: current?.epoch ?? 0, expiresAtMs: current?.expiresAtMs ?? 0 };
    }
  }

  /** Gives the lease up (no owner: free at once) without touching the epoch. */
  async release(epoch: number): Promise<FenceResult> {
    return this.conditional(epoch, "SET expiresAt = :zero REMOVE #owner", { ":zero": 0 }, "#owner = :me AND ");
  }

  /** Proves `epoch` is still current right before a mutating step. */
  async fence(epoch: number, nowMs: number): Promise<FenceResult> {
    return this.conditional(epoch, "SET fencedAt = :now", { ":now": nowMs });
  }

  /** Updates control fields under the fence (active region after a failover, incident id). */
  async updateControl(epoch: number, patch: { activeRegion?: string; lastFailoverAtMs?: number; incidentId?: string | null; retryIncidentId?: string | null }): Promise<FenceResult> {
    const fields: [string, string, unknown][] = [
      ["activeRegion", ":ar", patch.activeRegion],
      ["lastFailoverAtMs", ":lf", patch.lastFailoverAtMs],
      ["incidentId", ":inc", patch.incidentId === null ? "" : patch.incidentId],
      ["retryIncidentId", ":ri", patch.retryIncidentId === null ? "" : patch.retryIncidentId],
    ];
    const present = fields.filter(([, , v]) => v !== undefined);
    if (present.length === 0) return { status: "done" };
    const sets = present.map(([name, ph]) => `${name} = ${ph}`);
    const values = Object.fromEntries(present.map(([, ph, v]) => [ph, v]));
    return this.conditional(epoch, `SET ${sets.join(", ")}`, values);
  }

  /** Seeds the control record once (first deployment): active region, epoch 0. */
  async initialize(activeRegion: string): Promise<void> {
    try {
      await this.db.putItem({
        tableName: this.opts.tableName,
        item: marshall({ ...controlKey(this.opts.application), epoch: 0, expiresAt: 0, activeRegion }),
        conditionExpression: "attribute_not_exists(pk)",
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  private async conditional(epoch: number, update: string, values: Record<string, unknown>, extraCondition = ""): Promise<FenceResult> {
    try {
      await this.db.updateItem({
        tableName: this.opts.tableName,
        key: this.key,
        updateExpression: update,
        conditionExpression: `${extraCondition}epoch = :epoch`,
        ...(/#owner/.test(update + extraCondition) && { names: { "#owner": "owner" } }),
        values: marshall({ ...values, ":epoch": epoch, ...(extraCondition && { ":me": this.opts.owner }) }),
      });
      return { status: "done" };
    } catch (err) {
      if (isConditionFailure(err)) return { status: "lost", detail: `epoch ${epoch} is no longer current (another controller took over)` };
      const e = err as AwsCallError;
      if (e.retryable) return { status: "retry-later", error: e };
      throw err;
    }
  }
}
