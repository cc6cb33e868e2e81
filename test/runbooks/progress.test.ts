// The runbook's progress as the status page shows it: the definition's path
// in order, each state done (with its times), running, failed, or to come.
import { describe, expect, it } from "vitest";
import { ManualClock, MemoryJournal, type JournalEntry } from "../../src/core/index.js";
import { LocalRunbookEngine, ProgressTracker, happyPath, type RunbookProgress } from "../../src/runbooks/index.js";
import { nestedParents } from "../../src/runbooks/progress.js";
import { FakeAws, runbookInput } from "./fake-aws.js";
import { definition } from "./harness.js";

const statuses = (p: RunbookProgress) => Object.fromEntries(p.steps.map((s) => [s.state, s.status]));

async function runWithSnapshots(aws: FakeAws, journal = new MemoryJournal()) {
  const input = aws.input;
  const clock = new ManualClock(0);
  const engine = new LocalRunbookEngine({ adapters: aws.adapters(), clock, journal });
  const exec = engine.run("failover", definition("failover"), input);
  let over = false;
  void exec.result.then(() => (over = true));
  const snapshots: { atMs: number; progress: RunbookProgress }[] = [];
  for (let i = 0; i < 400 && !over; i++) {
    await clock.advance(5_000);
    snapshots.push({ atMs: clock.now(), progress: exec.progress() });
  }
  return { result: await exec.result, snapshots, final: exec.progress(), journal };
}

describe("runbook progress (local engine)", () => {
  it("lists the definition's path in order, with done, running and to-come states while it runs, and every state done at the end", async () => {
    const input = runbookInput();
    const path = happyPath(definition("failover"), input).map((s) => s.state);
    const { result, snapshots, final } = await runWithSnapshots(new FakeAws(input));
    expect(result.status).toBe("succeeded");

    // At 60 s the target is enabled and the engine waits for the health checks.
    const mid = snapshots.find((s) => s.atMs === 60_000)!.progress;
    expect(mid.steps.map((s) => s.state)).toEqual(path);
    expect(statuses(mid)).toMatchObject({ FenceBeforeDrain: "done", PromoteTarget: "done", CheckDynamoDbReplicas: "done", WaitForHealthChecks: "running", Verify: "to-come", Done: "to-come" });
    const running = mid.steps.filter((s) => s.status === "running");
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ type: "Wait", startedAtMs: 30_000 });
    // A poll loop is one line with its runs counted, from its first start to its last end.
    expect(mid.steps.find((s) => s.state === "DescribePromotion")).toMatchObject({ status: "done", runs: 2, startedAtMs: 15_000, endedAtMs: 30_000 });
    expect(mid.steps.find((s) => s.state === "PromoteTarget")).toMatchObject({ action: "rds:FailoverGlobalCluster", region: "us-west-2" });

    expect(final.steps.map((s) => s.state)).toEqual(path);
    expect(final.steps.every((s) => s.status === "done")).toBe(true);
  });

  it("marks the failed step and inserts the compensation where it ran, off the success path", async () => {
    const input = runbookInput();
    const aws = new FakeAws(input);
    aws.error("rds:FailoverGlobalCluster", "InvalidGlobalClusterStateFault", false, 1);
    const { result, final } = await runWithSnapshots(aws);
    expect(result.status).toBe("escalated");
    const names = final.steps.map((s) => s.state);
    const promote = names.indexOf("PromoteTarget");
    expect(final.steps[promote]).toMatchObject({ status: "failed", error: expect.stringMatching(/InvalidGlobalClusterStateFault/) as unknown });
    // The compensation that gave the old region its traffic back sits right after the failed step.
    const after = final.steps.slice(promote + 1).filter((s) => s.status !== "to-come");
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => !happyPath(definition("failover"), input).some((p) => p.state === s.state))).toBe(true);
    expect(statuses(final).Done).toBe("to-come");
  });

  it("a resumed run shows the prior run's steps done with their original times", async () => {
    const input = runbookInput();
    const path = happyPath(definition("failover"), input);
    // The path's first two Task states, whatever the runbook's order is.
    const [first, second] = path.map((x) => x.state);
    const prior: JournalEntry[] = [
      { incidentId: input.incidentId, epoch: 1, seq: 0, runbook: "failover", state: "", phase: "started", atMs: 1_000 },
      { incidentId: input.incidentId, epoch: 1, seq: 1, runbook: "failover", state: first!, phase: "before", atMs: 1_000 },
      { incidentId: input.incidentId, epoch: 1, seq: 2, runbook: "failover", state: first!, phase: "after", atMs: 1_200 },
      { incidentId: input.incidentId, epoch: 1, seq: 3, runbook: "failover", state: second!, phase: "before", atMs: 1_300 },
    ];
    const seeded = new ProgressTracker("failover", input.incidentId, path, 1_000);
    seeded.seed(prior);
    const p = seeded.snapshot();
    expect(p.steps[0]).toMatchObject({ state: first, status: "done", startedAtMs: 1_000, endedAtMs: 1_200 });
    // The step in flight when the prior run stopped is not running any more: it is to come again.
    expect(p.steps[1]).toMatchObject({ state: second, status: "to-come" });
    // Saboteur: without the seed, the done step reads as to come (the check above would catch it).
    expect(new ProgressTracker("failover", input.incidentId, path, 1_000).snapshot().steps[0]?.status).toBe("to-come");
  });

  it("counts a Map's inner states as the Map's step (without the mapping, the inner state would show up as an extra step)", () => {
    const def = definition("failover");
    const parents = nestedParents(def);
    const inner = [...parents.entries()].find(([, top]) => top === "CheckDynamoDbReplicas")?.[0];
    expect(inner).toBeDefined();
    const path = happyPath(def, runbookInput());
    const mapped = new ProgressTracker("failover", "i", path, 0, parents);
    mapped.begin(inner!, 10);
    mapped.end(inner!, 20);
    expect(mapped.snapshot().steps.map((s) => s.state)).toEqual(path.map((s) => s.state));
    expect(mapped.snapshot().steps.find((s) => s.state === "CheckDynamoDbReplicas")).toMatchObject({ status: "done", startedAtMs: 10, endedAtMs: 20 });
    const unmapped = new ProgressTracker("failover", "i", path, 0);
    unmapped.begin(inner!, 10);
    expect(unmapped.snapshot().steps.map((s) => s.state)).toContain(inner);
  });
});
