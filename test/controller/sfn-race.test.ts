// Two controllers race for one incident under a changing lease, with the
// Step Functions engine: A wins the lease and starts the failover execution;
// at some point of it, B takes the lease over (epoch 2) and runs the same
// incident. Whatever the moment, exactly one FailoverGlobalCluster takes
// effect, no two executions of the incident run at once, and B ends with
// the target as the writer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CoordinationStore } from "../../src/coordination/index.js";
import { StepFunctionsFollower, runbookInput } from "../../src/controller/index.js";
import { StepFunctionsEngine, deployRunbooks, stateMachineArn, type Definition, type RunbookName } from "../../src/runbooks/index.js";
import { attachStepFunctions } from "../../src/sim/sfn.js";
import { testWorld } from "../sim/harness.js";

const RUNBOOKS = ["failover", "switchover", "failback"] as const;
const INCIDENT = "orders-us-east-1-600000";

const MUTATING = new Set(["DrainOldRegion", "PromoteTarget", "EnableTarget", "UpsertRecord", "RecordActiveRegion"]);

async function race(takeoverAfterMs: number, opts: { stall: boolean; naive?: boolean }) {
  const t = testWorld("name: t\nduration: 2h\ncontroller: { coordination: { consistency: strong }, runbooks: { engine: step-functions } }\n");
  const sfnWorld = attachStepFunctions(t.world, t.clock);
  const { config } = t;
  const definitions = Object.fromEntries(RUNBOOKS.map((n) => [n, JSON.parse(readFileSync(`runbooks/${n}.asl.json`, "utf8")) as Definition])) as Record<RunbookName, Definition>;
  const target = { regions: config.regions, accountId: config.accountId, prefix: config.runbooks.stateMachinePrefix!, roleArn: config.runbooks.roleArn!, definitions: Object.fromEntries(RUNBOOKS.map((n) => [n, JSON.stringify(definitions[n])])) };
  await t.call(deployRunbooks(t.adapters, target));
  const store = (owner: string) =>
    new CoordinationStore(t.adapters.region("us-east-2").dynamodb, { tableName: config.coordination.table, application: config.application, owner, leaseMs: 30_000, maxClockSkewMs: 5_000 });
  const follower = () => new StepFunctionsFollower({ config, adapters: t.adapters, clock: t.clock, definitions, controlRegion: "us-east-2", pollMs: 10_000 });
  const input = (epoch: number) => runbookInput(config, { incidentId: INCIDENT, epoch, from: "us-east-1", to: "us-west-2", approvalRequired: false });

  const a = store("us-east-2/a");
  await t.call(a.lease.initialize("us-east-1"));
  const leaseA = await t.call(a.lease.acquire(t.clock.now()));
  const runA = follower().run("failover", input(leaseA.epoch));
  const resultA = runA.result;
  await t.runTo(t.clock.now() + takeoverAfterMs);
  // A's process stalls (it stops renewing), or A goes on unaware; either way B sees the lease expired and takes it over.
  if (opts.stall) runA.abort();
  const b = store("us-west-2/b");
  const leaseB = await t.call(b.lease.acquire(t.clock.now() + 40_000));
  expect(leaseB).toMatchObject({ held: true, epoch: leaseA.epoch + 1 });
  const resultB = opts.naive
    ? new StepFunctionsEngine({ adapters: t.adapters, clock: t.clock, stateMachineArn: (r, n) => stateMachineArn(target, r, n) }).run("failover", { ...input(leaseB.epoch), incidentId: `${INCIDENT}-naive`, control: { ...input(leaseB.epoch).control } })
    : follower().run("failover", input(leaseB.epoch), { previousEpoch: leaseA.epoch }).result;
  const [ra, rb] = await t.call(Promise.all([resultA, resultB]), 40 * 60_000);
  await t.runTo(t.clock.now() + 5 * 60_000);
  const executions = [...sfnWorld.executionsOf(INCIDENT), ...sfnWorld.executionsOf(`${INCIDENT}-naive`)].sort((x, y) => x.startMs - y.startMs);
  // An execution still running when a later one of the incident started (the follower stops and waits first).
  const concurrent = executions.slice(1).filter((e, i) => (executions[i]!.stopMs ?? Number.POSITIVE_INFINITY) > e.startMs).map((e) => e.name);
  // A mutation by an execution after a later one of the incident started: two mutating at once.
  const overlaps = executions.flatMap((older, i) =>
    executions.slice(i + 1).flatMap((newer) => older.history.filter((h) => h.type === "TaskStateExited" && MUTATING.has(h.name ?? "") && h.atMs >= newer.startMs).map((h) => `${older.name}:${h.name}@${h.atMs}`)),
  );
  const promotions = executions.flatMap((e) => e.history.filter((h) => h.type === "TaskStateExited" && h.name === "PromoteTarget"));
  return { t, ra, rb, executions, concurrent, overlaps, promotions };
}

describe("two controllers racing for one incident under a changing lease (engine step-functions)", () => {
  const cases = [0, 100, 150, 200, 250, 300, 1_000, 5_000, 20_000, 65_000, 150_000].flatMap((d) => [[d, true], [d, false]] as const);
  it.each(cases)("takeover %i ms into A's run (A stalled: %s): one FailoverGlobalCluster, no two executions mutating at once", async (delayMs, stall) => {
    const { t, rb, executions, concurrent, overlaps, promotions } = await race(delayMs, { stall });
    expect(rb.status).toBe("succeeded");
    expect(t.world.aurora.writer).toBe("us-west-2");
    expect(t.world.timeline.filter((e) => e.event === "aurora.failover.started")).toHaveLength(1);
    expect(promotions.length).toBeLessThanOrEqual(1);
    expect(overlaps).toEqual([]);
    expect(concurrent).toEqual([]);
    expect(executions.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("the overlap check catches a follower that starts its own execution without stopping the previous one", async () => {
    const { concurrent, promotions, t } = await race(20_000, { stall: true, naive: true });
    expect(concurrent.length).toBeGreaterThan(0);
    // Fencing still keeps the promotion single: the old execution's next fence fails.
    expect(promotions).toHaveLength(1);
    expect(t.world.timeline.filter((e) => e.event === "aurora.failover.started")).toHaveLength(1);
  }, 60_000);
});
