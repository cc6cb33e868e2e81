// The incident history the status page lists, against dynalite (a real
// DynamoDB-compatible server on 127.0.0.1): newest first, bounded, one
// application's incidents only, a garbled item skipped.
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoordinationStore } from "../../src/coordination/index.js";
import type { Incident } from "../../src/core/index.js";
import { startDynalite, type Dynalite } from "../helpers/dynalite.js";

let server: Dynalite;
beforeAll(async () => {
  server = await startDynalite();
});
afterAll(async () => {
  await server.close();
});

const store = (application: string) => new CoordinationStore(server.db, { tableName: "failover-control", application, owner: "us-east-2/t", leaseMs: 30_000, maxClockSkewMs: 5_000 });
const incident = (id: string, openedAtMs: number, over: Partial<Incident> = {}): Incident => ({ id, openedAtMs, from: "us-east-1", to: "us-west-2", mode: "unplanned", state: "resolved", timeline: [], ...over });

describe("CoordinationStore.listIncidents on dynalite", () => {
  it("returns the latest incidents newest first, at most `limit`, with their fields intact", async () => {
    const s = store("orders");
    // Ids sort the other way round from time, so a listing in key order would be caught.
    const opened = [5_000, 1_000, 9_000, 3_000, 7_000];
    for (const [i, at] of opened.entries()) await s.putIncident(incident(`orders-z${9 - i}`, at, { expectedDataLossMs: at / 10, trigger: i === 0 ? "operator" : "policy", endedAtMs: at + 600_000 }));
    await store("payments").putIncident(incident("payments-1", 99_000));

    const latest = await s.listIncidents(3);
    expect(latest.map((i) => i.openedAtMs)).toEqual([9_000, 7_000, 5_000]);
    expect(latest[2]).toMatchObject({ id: "orders-z9", trigger: "operator", expectedDataLossMs: 500, endedAtMs: 605_000, mode: "unplanned" });
    expect((await s.listIncidents(50)).map((i) => i.openedAtMs)).toEqual([9_000, 7_000, 5_000, 3_000, 1_000]);
  });

  it("skips a garbled item rather than failing the whole list, and refuses a limit that is not a positive integer", async () => {
    const s = store("garbled");
    await s.putIncident(incident("garbled-1", 1_000));
    await server.client.send(new PutItemCommand({ TableName: "failover-control", Item: { pk: { S: "incident#garbled" }, sk: { S: "garbled-2" }, incident: { S: "{not json" } } }));
    expect((await s.listIncidents(10)).map((i) => i.id)).toEqual(["garbled-1"]);
    await expect(s.listIncidents(0)).rejects.toThrow(/positive integer/);
  });
});
