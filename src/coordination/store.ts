// The coordination store: lease and control record, shared health views,
// incidents and the runbook journal, all in the control table. Reads that
// decide anything are strongly consistent (ConsistentRead on a single-region
// or MRSC table); the config validator refuses an eventual table for
// automatic mode.

import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { HealthView, Incident, Journal, JournalEntry } from "../core/index.js";
import type { DynamoDbApi } from "../aws/index.js";
import { Lease, isConditionFailure, type LeaseOptions } from "./lease.js";
import { incidentsPk, journalPk, journalSk, viewsPk } from "./layout.js";

export class DynamoJournal implements Journal {
  constructor(
    private readonly db: DynamoDbApi,
    private readonly tableName: string,
  ) {}

  async append(entry: JournalEntry): Promise<void> {
    try {
      await this.db.putItem({
        tableName: this.tableName,
        item: marshall({ pk: journalPk(entry.incidentId), sk: journalSk(entry.seq), entry: JSON.stringify(entry) }),
        conditionExpression: "attribute_not_exists(pk)",
      });
    } catch (err) {
      if (isConditionFailure(err)) throw new Error(`journal entry ${entry.incidentId}#${entry.seq} already exists`, { cause: err });
      throw err;
    }
  }

  async read(incidentId: string): Promise<JournalEntry[]> {
    const items = await this.db.query({
      tableName: this.tableName,
      keyConditionExpression: "pk = :pk",
      values: marshall({ ":pk": journalPk(incidentId) }),
      consistentRead: true,
    });
    return items.map((i) => JSON.parse(String(unmarshall(i).entry)) as JournalEntry).sort((a, b) => a.seq - b.seq);
  }
}

export type StoreOptions = LeaseOptions;

export class CoordinationStore {
  readonly lease: Lease;
  readonly journal: Journal;

  constructor(
    private readonly db: DynamoDbApi,
    private readonly opts: StoreOptions,
  ) {
    this.lease = new Lease(db, opts);
    this.journal = new DynamoJournal(db, opts.tableName);
  }

  get owner(): string {
    return this.opts.owner;
  }

  // Views are written and read on every tick of every controller: their four
  // attributes are built and read directly rather than through the generic
  // (un)marshall, which was most of the cost of a tick's store calls.
  async publishView(view: HealthView): Promise<void> {
    await this.db.putItem({
      tableName: this.opts.tableName,
      item: { pk: { S: viewsPk(this.opts.application) }, sk: { S: view.observer }, atMs: { N: String(view.atMs) }, view: { S: JSON.stringify(view) } },
    });
  }

  async readViews(): Promise<HealthView[]> {
    const items = await this.db.query({
      tableName: this.opts.tableName,
      keyConditionExpression: "pk = :pk",
      values: marshall({ ":pk": viewsPk(this.opts.application) }),
      consistentRead: true,
    });
    return items.flatMap((i) => {
      const text = i.view?.S;
      if (text === undefined) return []; // a garbled view is no vote
      try {
        return [JSON.parse(text) as HealthView];
      } catch {
        return [];
      }
    });
  }

  async putIncident(incident: Incident): Promise<void> {
    await this.db.putItem({
      tableName: this.opts.tableName,
      item: marshall({ pk: incidentsPk(this.opts.application), sk: incident.id, incident: JSON.stringify(incident) }),
    });
  }

  /**
   * The latest `limit` incidents, newest first (by when they opened). Reads
   * the application's incident partition page by page; a garbled item is
   * skipped, as a garbled view is.
   */
  async listIncidents(limit: number): Promise<Incident[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`listIncidents: limit must be a positive integer, got ${limit}`);
    const items = await this.db.query({
      tableName: this.opts.tableName,
      keyConditionExpression: "pk = :pk",
      values: marshall({ ":pk": incidentsPk(this.opts.application) }),
      consistentRead: true,
    });
    const incidents = items.flatMap((i) => {
      try {
        return [JSON.parse(String(unmarshall(i).incident)) as Incident];
      } catch {
        return [];
      }
    });
    return incidents.sort((a, b) => b.openedAtMs - a.openedAtMs || b.id.localeCompare(a.id)).slice(0, limit);
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const item = await this.db.getItem({
      tableName: this.opts.tableName,
      key: marshall({ pk: incidentsPk(this.opts.application), sk: id }),
      consistentRead: true,
    });
    return item ? (JSON.parse(String(unmarshall(item).incident)) as Incident) : undefined;
  }
}
