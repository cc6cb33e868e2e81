import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoordinationStore, type LeaseResult } from "../../src/coordination/index.js";
import { startDynalite, type Dynalite } from "../helpers/dynalite.js";

let server: Dynalite;
let app = 0;
beforeAll(async () => {
  server = await startDynalite();
});
afterAll(async () => {
  await server.close();
});

const LEASE_MS = 30_000;
const SKEW_MS = 5_000;
function store(owner: string, application: string) {
  return new CoordinationStore(server.db, { tableName: "failover-control", application, owner, leaseMs: LEASE_MS, maxClockSkewMs: SKEW_MS });
}
const fresh = () => `app${++app}`;

describe("lease on dynalite (127.0.0.1)", () => {
  it("lets exactly one of two racing controllers win, with epoch 1", async () => {
    const application = fresh();
    const [a, b] = [store("us-east-1/a", application), store("us-west-2/b", application)];
    const results = await Promise.all([a.lease.acquire(1_000_000), b.lease.acquire(1_000_000)]);
    expect(results.filter((r) => r.held)).toHaveLength(1);
    const winner = results.find((r) => r.held)!;
    expect(winner.epoch).toBe(1);
    const loser = results.find((r): r is Extract<LeaseResult, { held: false }> => !r.held)!;
    expect(loser.holder).toMatch(/us-east-1\/a|us-west-2\/b/);
  });

  it("renews without bumping the epoch; takes over an expired lease with epoch + 1", async () => {
    const application = fresh();
    const [a, b] = [store("a", application), store("b", application)];
    const first = await a.lease.acquire(0);
    expect(first).toMatchObject({ held: true, epoch: 1 });
    expect(await a.lease.acquire(10_000, 1)).toMatchObject({ held: true, epoch: 1, tookOver: false });
    // Expired by b's clock, but not by more than the skew bound: refused.
    expect((await b.lease.acquire(40_000 + SKEW_MS - 1)).held).toBe(false);
    expect(await b.lease.acquire(40_000 + SKEW_MS + 1)).toMatchObject({ held: true, epoch: 2, tookOver: true });
  });

  it("writes the outage the holder handles with its renewal and its takeover, read back as the record's outage", async () => {
    const application = fresh();
    const [a, b] = [store("a", application), store("b", application)];
    await a.lease.initialize("us-east-1");
    expect(await a.lease.acquire(0, undefined, { region: "us-east-1", sinceMs: 0 })).toMatchObject({ held: true, epoch: 1 });
    expect((await a.lease.read())?.outage).toEqual({ region: "us-east-1", sinceMs: 0, seenAtMs: 0 });
    expect(await a.lease.acquire(10_000, 1, { region: "us-east-1", sinceMs: 0 })).toMatchObject({ held: true, epoch: 1 });
    expect((await a.lease.read())?.outage).toEqual({ region: "us-east-1", sinceMs: 0, seenAtMs: 10_000 });
    // A renewal that names no outage leaves the last one as it was (its seenAtMs ages).
    await a.lease.acquire(20_000, 1);
    expect((await a.lease.read())?.outage).toEqual({ region: "us-east-1", sinceMs: 0, seenAtMs: 10_000 });
    expect(await b.lease.acquire(60_000, undefined, { region: "us-east-1", sinceMs: 0 })).toMatchObject({ held: true, epoch: 2, tookOver: true });
    expect(await b.lease.read()).toMatchObject({ owner: "b", activeRegion: "us-east-1", outage: { region: "us-east-1", sinceMs: 0, seenAtMs: 60_000 } });
  });

  it("refuses the fence of an expired holder whose skewed clock says it still holds", async () => {
    const application = fresh();
    const [a, b] = [store("a", application), store("b", application)];
    await a.lease.initialize("us-east-1");
    const held = await a.lease.acquire(0);
    expect(held).toMatchObject({ held: true, epoch: 1 });
    expect(await b.lease.acquire(LEASE_MS + SKEW_MS + 1)).toMatchObject({ held: true, epoch: 2 });
    // a's clock runs a minute slow: it believes its lease is valid. The store refuses it.
    expect(await a.lease.fence(1, 10_000)).toMatchObject({ status: "lost" });
    expect(await a.lease.updateControl(1, { activeRegion: "us-west-2" })).toMatchObject({ status: "lost" });
    expect(await a.lease.acquire(20_000, 1)).toMatchObject({ held: false, holder: "b", epoch: 2 });
    expect(await b.lease.fence(2, 70_000)).toEqual({ status: "done" });
    expect((await b.lease.read())?.activeRegion).toBe("us-east-1");
  });

  it("releases without resetting the epoch, so the next holder gets a higher one", async () => {
    const application = fresh();
    const [a, b] = [store("a", application), store("b", application)];
    await a.lease.acquire(0);
    expect(await b.lease.release(1)).toMatchObject({ status: "lost" }); // not the owner
    expect(await a.lease.release(1)).toEqual({ status: "done" });
    expect(await b.lease.acquire(1)).toMatchObject({ held: true, epoch: 2 }); // free at once
  });

  it("never gives one epoch to two owners, and never two believed holders at once, under random skewed interleavings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ who: fc.integer({ min: 0, max: 2 }), op: fc.constantFrom("acquire", "release"), advanceMs: fc.integer({ min: 0, max: 20_000 }) }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.tuple(fc.integer({ min: -2_500, max: 2_500 }), fc.integer({ min: -2_500, max: 2_500 }), fc.integer({ min: -2_500, max: 2_500 })),
        async (ops, skews) => {
          const application = fresh();
          const owners = [0, 1, 2].map((i) => store(`c${i}`, application));
          const held: ({ epoch: number; expiresAtMs: number } | undefined)[] = [undefined, undefined, undefined];
          const epochOwner = new Map<number, number>();
          let trueNow = 1_000_000;
          for (const op of ops) {
            trueNow += op.advanceMs;
            const me = op.who;
            const local = trueNow + skews[me]!;
            if (op.op === "acquire") {
              const r = await owners[me]!.lease.acquire(local, held[me]?.epoch);
              held[me] = r.held ? { epoch: r.epoch, expiresAtMs: r.expiresAtMs } : undefined;
              if (r.held) {
                expect(epochOwner.get(r.epoch) ?? me).toBe(me);
                epochOwner.set(r.epoch, me);
              }
            } else if (held[me]) {
              await owners[me]!.lease.release(held[me].epoch);
              held[me] = undefined;
            }
            // A holder believes it holds while its own clock is before expiresAt.
            const believers = held.filter((h, i) => h && trueNow + skews[i]! < h.expiresAtMs);
            expect(believers.length).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("views and journal on dynalite", () => {
  it("publishes and reads every observer's view", async () => {
    const application = fresh();
    const s = store("a", application);
    for (const observer of ["us-east-1", "us-west-2", "us-east-2"]) await s.publishView({ observer, atMs: 5, regions: {} });
    await s.publishView({ observer: "us-east-1", atMs: 9, regions: {} });
    const views = await s.readViews();
    expect(views.map((v) => [v.observer, v.atMs]).sort()).toEqual([["us-east-1", 9], ["us-east-2", 5], ["us-west-2", 5]]);
  });

  it("refuses a duplicate journal entry and reads entries in order", async () => {
    const s = store("a", fresh());
    const entry = { incidentId: `inc-${app}`, epoch: 1, seq: 0, runbook: "failover", state: "", phase: "started" as const, atMs: 1 };
    await s.journal.append({ ...entry, seq: 1, phase: "before", state: "Fence" });
    await s.journal.append(entry);
    await expect(s.journal.append(entry)).rejects.toThrow(/already exists/);
    expect((await s.journal.read(entry.incidentId)).map((e) => e.seq)).toEqual([0, 1]);
  });

  it("stores and reads incidents", async () => {
    const s = store("a", fresh());
    const incident = { id: "inc-9", openedAtMs: 1, from: "us-east-1", state: "open" as const, timeline: [] };
    await s.putIncident(incident);
    expect(await s.getIncident("inc-9")).toEqual(incident);
    expect(await s.getIncident("nope")).toBeUndefined();
  });
});
