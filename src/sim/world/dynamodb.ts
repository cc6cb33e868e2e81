// DynamoDB (reference/aws-apis.md, "DynamoDB global tables"):
//   - The app tables are global tables (MREC) with a replica in every app
//     region: reads and conditional writes use the local replica, writes
//     reach the others after ReplicationLatency, last writer wins.
//   - The coordination table follows the config: `single-region` lives in
//     coordination.region only; `strong` (MRSC) is one logical copy readable
//     and writable from its replica regions while a majority of them is up;
//     `eventual` is a global table like the app tables (so conditional
//     writes in two regions can both succeed: that is why the config
//     validator refuses it for automatic mode).
//   - Failed conditions raise ConditionalCheckFailedException.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Region } from "../../core/index.js";
import { dynamoDbErrors, serverError, unsupported } from "../errors.js";
import { bool, num, obj, str, type CallContext, type Input } from "./call-context.js";
import type { WorldCore } from "./core.js";
import { ExpressionError, applyUpdate, compareValues, evaluateCondition, type Item } from "./expressions.js";
import { ReplicationLink } from "./replication.js";

type Mode = "single-region" | "strong" | "eventual";

interface Stored {
  item: Item;
  /** Virtual time of the write (last writer wins between replicas). */
  writtenMs: number;
  writtenIn: Region;
}

interface Table {
  name: string;
  mode: Mode;
  keys: string[];
  replicas: Region[];
  /** One map per replica region (single-region and strong: one shared map under "*"). */
  copies: Map<Region, Map<string, Stored>>;
  createdMs: number;
}

const REDELIVERY_MS = 1_000;

export class DynamoDbModel {
  readonly tables = new Map<string, Table>();
  /** Source->destination links behind the ReplicationLatency metric. */
  readonly links = new Map<string, ReplicationLink>();

  constructor(private readonly core: WorldCore) {
    const { config } = core;
    for (const name of config.dynamodb.tables) this.addTable(name, "eventual", ["pk"], core.regions);
    const c = config.coordination;
    const coordReplicas = c.consistency === "single-region" ? [c.region] : [...new Set([...core.allRegions, c.region])];
    this.addTable(c.table, c.consistency, ["pk", "sk"], c.consistency === "strong" ? coordReplicas.slice(0, 3) : coordReplicas);
    let key = 2_000;
    for (const src of core.regions) {
      for (const dst of core.regions) {
        if (src === dst) continue;
        this.links.set(`${src}>${dst}`, new ReplicationLink(core, key++, core.settings.dynamodb.replicationLatency, "dynamodb", () => this.up(src) && this.up(dst)));
      }
    }
    for (const l of this.links.values()) l.settle();
    const settle = () => {
      for (const l of this.links.values()) l.settle();
    };
    core.beforeFaultChange(settle);
    core.onFault(settle);
  }

  private addTable(name: string, mode: Mode, keys: string[], replicas: Region[]): void {
    const copies = new Map<Region, Map<string, Stored>>();
    if (mode === "eventual") for (const r of replicas) copies.set(r, new Map());
    else copies.set("*", new Map());
    this.tables.set(name, { name, mode, keys, replicas, copies, createdMs: this.core.startMs - 86_400_000 });
  }

  private up(region: Region): boolean {
    return !this.core.outage(region, "dynamodb");
  }

  /** Replication latency src -> dst now, as the metric in src reports it. */
  replicationLatencyMs(src: Region, dst: Region): number | undefined {
    return this.links.get(`${src}>${dst}`)?.currentLagMs();
  }

  handle(command: string, input: Input, ctx: CallContext): unknown {
    if (command === "ListTables") return { TableNames: [...this.tables.values()].filter((t) => t.replicas.includes(ctx.region)).map((t) => t.name).sort() };
    const table = this.table(input, ctx);
    try {
      switch (command) {
        case "DescribeTable":
          return { Table: this.describe(table) };
        case "GetItem":
          return this.getItem(table, input, ctx);
        case "PutItem":
          return this.putItem(table, input, ctx);
        case "UpdateItem":
          return this.updateItem(table, input, ctx);
        case "Query":
          return this.query(table, input, ctx);
        default:
          throw unsupported("dynamodb", command, ctx.requestId);
      }
    } catch (err) {
      if (err instanceof ExpressionError) throw dynamoDbErrors.validation(err.message, ctx.requestId);
      throw err;
    }
  }

  private table(input: Input, ctx: CallContext): Table {
    const name = str(input.TableName) ?? "";
    const t = this.tables.get(name);
    if (!t || !t.replicas.includes(ctx.region)) {
      throw dynamoDbErrors.resourceNotFound(`Requested resource not found: Table: ${name} not found`, ctx.requestId);
    }
    if (t.mode === "strong") {
      // MRSC needs a majority of its three regions to commit anything.
      const upCount = t.replicas.filter((r) => this.up(r)).length;
      if (upCount * 2 <= t.replicas.length) throw serverError("dynamodb", ctx.requestId);
    }
    return t;
  }

  private copy(t: Table, region: Region): Map<string, Stored> {
    return t.copies.get(t.mode === "eventual" ? region : "*")!;
  }

  private keyOf(t: Table, item: Item, ctx: CallContext): string {
    const parts = t.keys.map((k) => {
      const v = item[k];
      if (v === undefined) throw dynamoDbErrors.validation(`One of the required keys was not given a value: ${k}`, ctx.requestId);
      return JSON.stringify(v);
    });
    return parts.join("|");
  }

  describe(t: Table): Record<string, unknown> {
    const global = t.mode !== "single-region";
    return {
      TableName: t.name,
      TableStatus: "ACTIVE",
      TableArn: `arn:aws:dynamodb:${t.replicas[0]}:${this.core.config.accountId}:table/${t.name}`,
      CreationDateTime: new Date(t.createdMs),
      KeySchema: t.keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? "HASH" : "RANGE" })),
      AttributeDefinitions: t.keys.map((k) => ({ AttributeName: k, AttributeType: "S" })),
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      ItemCount: this.copy(t, t.replicas[0]!).size,
      ...(global && {
        GlobalTableVersion: "2019.11.21",
        MultiRegionConsistency: t.mode === "strong" ? "STRONG" : "EVENTUAL",
        Replicas: t.replicas.map((r) => ({ RegionName: r, ReplicaStatus: "ACTIVE" })),
      }),
    };
  }

  private getItem(t: Table, input: Input, ctx: CallContext): unknown {
    const stored = this.copy(t, ctx.region).get(this.keyOf(t, obj(input.Key) as Item, ctx));
    void bool(input.ConsistentRead); // a strongly consistent read of the local replica is what MREC offers
    return stored ? { Item: structuredClone(stored.item) } : {};
  }

  private write(t: Table, ctx: CallContext, key: string, item: Item | undefined): void {
    const now = this.core.now();
    const local = this.copy(t, ctx.region);
    if (item === undefined) local.delete(key);
    else local.set(key, { item, writtenMs: now, writtenIn: ctx.region });
    if (t.mode !== "eventual") return;
    for (const dst of t.replicas) {
      if (dst === ctx.region) continue;
      const link = this.links.get(`${ctx.region}>${dst}`);
      const delay = link ? link.lagMs(now) : this.core.settings.dynamodb.replicationLatency.meanMs;
      const deliver = (): void => {
        if (!this.up(dst) || !this.up(ctx.region)) {
          this.core.sched.after(REDELIVERY_MS, deliver);
          return;
        }
        const copy = this.copy(t, dst);
        const existing = copy.get(key);
        // Last writer wins; ties broken by region name so replicas converge.
        if (existing && (existing.writtenMs > now || (existing.writtenMs === now && existing.writtenIn > ctx.region))) return;
        if (item === undefined) copy.delete(key);
        else copy.set(key, { item: structuredClone(item), writtenMs: now, writtenIn: ctx.region });
      };
      this.core.sched.after(delay, deliver);
    }
  }

  private condition(input: Input, existing: Item | undefined, ctx: CallContext): void {
    const expr = str(input.ConditionExpression);
    if (expr === undefined) return;
    const ok = evaluateCondition(expr, existing, { names: obj(input.ExpressionAttributeNames) as Record<string, string>, values: obj(input.ExpressionAttributeValues) as Item });
    if (!ok) throw dynamoDbErrors.conditionalCheckFailed(ctx.requestId);
  }

  private putItem(t: Table, input: Input, ctx: CallContext): unknown {
    const item = structuredClone(obj(input.Item) as Item);
    const key = this.keyOf(t, item, ctx);
    const existing = this.copy(t, ctx.region).get(key)?.item;
    this.condition(input, existing, ctx);
    this.write(t, ctx, key, item);
    return str(input.ReturnValues) === "ALL_OLD" && existing ? { Attributes: structuredClone(existing) } : {};
  }

  private updateItem(t: Table, input: Input, ctx: CallContext): unknown {
    const keyItem = obj(input.Key) as Item;
    const key = this.keyOf(t, keyItem, ctx);
    const existing = this.copy(t, ctx.region).get(key)?.item;
    this.condition(input, existing, ctx);
    const expr = str(input.UpdateExpression);
    const ctxExpr = { names: obj(input.ExpressionAttributeNames) as Record<string, string>, values: obj(input.ExpressionAttributeValues) as Item };
    const updated = expr === undefined ? { ...structuredClone(keyItem), ...existing } : applyUpdate(expr, { ...existing, ...structuredClone(keyItem) }, ctxExpr);
    this.write(t, ctx, key, updated);
    switch (str(input.ReturnValues)) {
      case "ALL_NEW":
        return { Attributes: structuredClone(updated) };
      case "ALL_OLD":
        return existing ? { Attributes: structuredClone(existing) } : {};
      case "UPDATED_NEW":
      case "UPDATED_OLD": {
        const source = str(input.ReturnValues) === "UPDATED_NEW" ? updated : (existing ?? {});
        const changed = Object.keys(updated).filter((k) => JSON.stringify(updated[k]) !== JSON.stringify(existing?.[k]));
        return { Attributes: Object.fromEntries(changed.filter((k) => source[k] !== undefined).map((k) => [k, source[k]!])) };
      }
      default:
        return {};
    }
  }

  private query(t: Table, input: Input, ctx: CallContext): unknown {
    const expr = str(input.KeyConditionExpression);
    if (expr === undefined) throw dynamoDbErrors.validation("KeyConditionExpression is required", ctx.requestId);
    const ctxExpr = { names: obj(input.ExpressionAttributeNames) as Record<string, string>, values: obj(input.ExpressionAttributeValues) as Item };
    const sortKey = t.keys[1];
    const matches = [...this.copy(t, ctx.region).values()].map((s) => s.item).filter((item) => evaluateCondition(expr, item, ctxExpr));
    matches.sort((a, b) => (sortKey ? (compareValues(a[sortKey], b[sortKey]) ?? 0) : 0));
    if (bool(input.ScanIndexForward) === false) matches.reverse();
    let start = 0;
    const esk = input.ExclusiveStartKey;
    if (esk !== undefined) {
      const k = this.keyOf(t, obj(esk) as Item, ctx);
      start = matches.findIndex((m) => this.keyOf(t, m, ctx) === k) + 1;
    }
    const limit = num(input.Limit);
    const page = matches.slice(start, limit === undefined ? undefined : start + limit);
    const more = limit !== undefined && start + limit < matches.length;
    const last = page.at(-1);
    return {
      Items: page.map((i) => structuredClone(i)),
      Count: page.length,
      ScannedCount: page.length,
      ...(more && last && { LastEvaluatedKey: Object.fromEntries(t.keys.map((k) => [k, last[k] as AttributeValue])) }),
    };
  }
}
