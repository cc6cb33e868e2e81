// The bigger-than-one-failure game days (issue 13), run with the real
// controller: no-quorum is notified within 2 minutes of the second outage,
// a scripted forced failover moves to the survivor (RTO measured from the
// operator's action), and without the store the override is refused with
// the manual steps.
import { describe, expect, it } from "vitest";
import { FailoverController } from "../../src/controller/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession, runScenario, type Verdict } from "../../src/sim/runner.js";
import { loadScenarios } from "../../src/sim/scenario.js";

async function run(name: string, notified?: string[]): Promise<Verdict> {
  const [loaded] = await loadScenarios(`test/gameday/${name}.yaml`);
  const scenario = notified ? { ...loaded!.scenario, expect: { ...loaded!.scenario.expect, notified } } : loaded!.scenario;
  return runScenario(scenario, { controller: realController, file: loaded!.file });
}

const at = (v: Verdict, event: string, match: (d: Record<string, unknown>) => boolean = () => true) =>
  v.timeline.find((e) => e.event === event && match(e.detail ?? {}));

describe("escalation game days", () => {
  it("the primary back while a gated failover waits: the gate is withdrawn and a late approval is told why, whichever controller it reaches", async () => {
    const v = await run("late-approval-after-recovery");
    expect(v.violations).toEqual([]);
    const withdrawn = at(v, "approval.withdrawn")!;
    expect(withdrawn.atMs).toBeGreaterThanOrEqual(at(v, "fault.end", (d) => d.kind === "region-outage")!.atMs);
    const refused = at(v, "operator.refused")!;
    expect(refused.atMs).toBeGreaterThan(withdrawn.atMs);
    expect(String(refused.detail?.why)).toMatch(/^incident orders-us-east-1-\d+: its failover no longer waits for approval, withdrawn .+ ago: us-east-1 is UP by quorum again/);
    expect(v.measured).toMatchObject({ failovers: 0, rpoMs: 0, splitBrainMs: 0 });
    // Over, not failed: no page and no retry after it, and what the gate was paged for resolves.
    const after = v.timeline.filter((e) => e.atMs >= withdrawn.atMs);
    expect(after.filter((e) => e.event === "escalation" || e.event === "runbook.retry-scheduled")).toEqual([]);
    expect(after.find((e) => e.event === "runbook.stopped")?.detail).toMatchObject({ status: "withdrawn" });
    for (const reason of ["rpo-breach", "approval-required"]) expect(after.some((e) => e.event === "sns.published" && e.detail?.kind === "resolved" && e.detail.reason === reason)).toBe(true);
  }, 60_000);

  it("a gate is not withdrawn when an earlier attempt of the incident may have acted (its record shows a run that ended past its gate)", async () => {
    const [loaded] = await loadScenarios("test/gameday/late-approval-after-recovery.yaml");
    const session = new SimSession(loaded!.scenario, { controller: realController, file: loaded!.file });
    const gated = () =>
      session.live
        .filter((c): c is FailoverController => c instanceof FailoverController)
        .map((c) => c.status().incident)
        .find((i) => i?.state === "awaiting-approval" && i.timeline.some((e) => e.event === "runbook.retried"));
    expect(await session.stepUntil(() => gated() !== undefined, 44 * 60_000)).toBe(true);
    // As if the first attempt had been approved and failed at a later step (traffic or the writer may have moved).
    gated()!.timeline.push({ atMs: session.world.nowMs, event: "runbook.escalated", detail: { error: "Runbook.Escalated" } });
    await session.stepUntil(() => false, 60 * 60_000);
    expect(session.world.timeline.some((e) => e.event === "approval.withdrawn")).toBe(false);
  }, 60_000);

  it("a withdrawal that found no gate to answer leaves no note behind: the operator's own later rejection is recorded as theirs (paged, retried), not as a withdrawal", async () => {
    const [loaded] = await loadScenarios("test/gameday/late-approval-after-recovery.yaml");
    const scenario = { ...loaded!.scenario, operator: [{ at: 47 * 60_000, action: "reject" as const, reason: "the operator says no" }] };
    const session = new SimSession(scenario, { controller: realController, file: loaded!.file });
    // Every withdrawal finds nothing to answer (as when the gate is not registered yet, or no token
    // is written): the controller's own rejections return false and send nothing; the operator's land.
    const patched = new WeakSet<object>();
    const patch = () => {
      for (const c of session.live) {
        if (!(c instanceof FailoverController) || patched.has(c)) continue;
        patched.add(c);
        const engine = (c as unknown as { engine: { reject(id: string, reason: string): Promise<boolean> } }).engine;
        const reject = engine.reject.bind(engine);
        engine.reject = (id, reason) => (reason.includes("is UP by quorum again") ? Promise.resolve(false) : reject(id, reason));
      }
      return false;
    };
    await session.stepUntil(patch, 60 * 60_000);
    const v = session.finish();
    const rejected = at(v, "operator.action", (d) => d.action === "reject")!;
    expect(rejected).toBeDefined();
    expect(at(v, "approval.withdrawn")).toBeUndefined();
    const after = v.timeline.filter((e) => e.atMs >= rejected.atMs);
    expect(after.some((e) => (e.event === "escalation" || e.event === "runbook.retry-scheduled") && e.detail?.reason === "approval-required")).toBe(true);
    expect(v.measured).toMatchObject({ failovers: 0, splitBrainMs: 0 });
  }, 60_000);

  it("a gate resumed from a dead holder (local engine: still at the runbook's first state) is withdrawn by the controller that resumed it", async () => {
    const v = await run("late-approval-resumed-gate");
    expect(v.violations).toEqual([]);
    expect(at(v, "runbook.resumed")?.detail).toMatchObject({ controller: "us-west-2#0" });
    expect(at(v, "approval.withdrawn")?.detail).toMatchObject({ controller: "us-west-2#0" });
    expect(String(at(v, "operator.refused")?.detail?.why)).toMatch(/no longer waits for approval, withdrawn/);
  }, 60_000);

  it("the controller that paged rpo-breach dies: the one that resumes the gated run adopts the page (not sent again), holds it open until the incident ends and resolves it then", async () => {
    const v = await run("rpo-breach-holder-dies");
    expect(v.violations).toEqual([]);
    const published = (kind: string) => v.timeline.filter((e) => e.event === "sns.published" && e.detail?.kind === kind && e.detail.reason === "rpo-breach");
    const crash = at(v, "fault.start", (d) => d.kind === "controller-crash")!;
    const [paged] = published("escalation");
    expect(paged!.atMs).toBeLessThan(crash.atMs);
    expect(published("escalation")).toHaveLength(1);
    expect(at(v, "escalation.adopted", (d) => d.reason === "rpo-breach")?.detail).toMatchObject({ controller: "us-west-2#0" });
    // Open while the gate waits: resolved only once us-east-1 is back, not when the policy's reason changed (no-quorum).
    const resolved = published("resolved");
    expect(resolved).toHaveLength(1);
    const back = at(v, "fault.end", (d) => d.kind === "region-outage")!;
    expect(resolved[0]!.atMs).toBeGreaterThanOrEqual(back.atMs);
  }, 60_000);

  it("two of three app regions down: no-quorum notified within 2 minutes of the second outage, then a forced failover to the survivor", async () => {
    const v = await run("two-of-three-app-regions-down");
    expect(v.violations).toEqual([]);
    const secondOutage = v.timeline.filter((e) => e.event === "fault.start")[1]!.atMs;
    const notified = at(v, "sns.published", (d) => d.kind === "escalation" && d.reason === "no-quorum");
    expect(notified!.atMs - secondOutage).toBeLessThanOrEqual(120_000);
    // Published from the first region whose SNS answers: both dark regions come first in config order.
    expect(notified!.detail).toMatchObject({ region: "eu-west-1" });
    // Once per incident and reason, although every cycle sees it for 8 minutes.
    expect(v.timeline.filter((e) => e.event === "sns.published" && e.detail?.kind === "escalation")).toHaveLength(1);
    const action = at(v, "operator.action")!;
    const moved = at(v, "dns.answer", (d) => d.region === "eu-west-1")!;
    const rtoFromActionMs = moved.atMs - action.atMs;
    expect(rtoFromActionMs).toBeGreaterThan(0);
    expect(rtoFromActionMs).toBeLessThanOrEqual(15 * 60_000);
    expect(at(v, "runbook.started")!.detail).toMatchObject({ forcedBy: expect.stringContaining("game-day operator") as unknown });
    expect(at(v, "sns.published", (d) => d.kind === "resolved" && d.reason === "no-quorum")).toBeDefined();
  }, 60_000);

  it("primary and witness down: the lone survivor escalates no-quorum, the operator forces the move under the lease", async () => {
    const v = await run("primary-and-witness-down");
    expect(v.violations).toEqual([]);
    expect(v.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2", splitBrainMs: 0 });
    expect(at(v, "decision", (d) => d.forced === true)).toBeDefined();
  }, 60_000);

  it("store unreachable while the active region is down: the override is refused with the manual steps, nothing moves", async () => {
    const v = await run("store-unreachable-active-down");
    expect(v.violations).toEqual([]);
    const refused = at(v, "operator.refused")!.detail as { why: string; manualSteps: string[] };
    expect(refused.why).toMatch(/coordination store \(failover-control in us-east-2\) does not answer/);
    expect(refused.manualSteps.join("\n")).toMatch(/rds:FailoverGlobalCluster in us-west-2: PromoteTarget \(GlobalClusterIdentifier orders-global/);
    expect(refused.manualSteps[0]).toMatch(/stop every failover daemon/);
    expect(at(v, "runbook.started")).toBeUndefined();
  }, 60_000);

  it("expect.notified fails the verdict for a reason nobody was told about", async () => {
    const v = await run("store-unreachable-active-down", ["store-unreachable", "no-quorum"]);
    expect(v.passed).toBe(false);
    expect(v.violations).toEqual(["no-quorum was never notified (notified: store-unreachable)"]);
  }, 60_000);
});
