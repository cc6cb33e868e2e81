// One outage is one incident, however often the lease changes hands. The
// ARC endpoints stay unreachable for 20 minutes, every attempt fails at the
// traffic flip, and the lease passes between two controllers: the next
// holder continues the incident (its id, its attempt count and backoff, the
// failure it already paged) instead of opening one of its own and paging
// again; the page resolves when the failover completes.
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario, type Verdict } from "../../src/sim/runner.js";
import { loadScenarios, type Scenario } from "../../src/sim/scenario.js";

async function run(name: string, edit: (s: Scenario) => Scenario = (s) => s): Promise<Verdict> {
  const [loaded] = await loadScenarios(`test/gameday/${name}.yaml`);
  return runScenario(edit(loaded!.scenario), { controller: realController, file: loaded!.file });
}

const of = (v: Verdict, event: string) => v.timeline.filter((e) => e.event === event).map((e) => e.detail ?? {});

describe("an outage retried across lease holders", () => {
  it("stays one incident: one id, one page, attempts counted on across holders, resolved at the end", async () => {
    const v = await run("routing-control-endpoints-unreachable");
    expect(v.violations).toEqual([]);
    const started = of(v, "runbook.started");
    // The situation this test is about: more than one controller ran attempts.
    expect(new Set(started.map((d) => d.controller)).size).toBeGreaterThan(1);
    const ids = new Set([...started, ...of(v, "escalation"), ...of(v, "runbook.retry-scheduled"), ...of(v, "failover.completed")].map((d) => d.incident));
    expect(ids.size).toBe(1);
    expect(of(v, "escalation").filter((d) => d.reason === "runbook-failed")).toHaveLength(1);
    // The backoff is the incident's: each failure counts on from the last, whoever ran it.
    const attempts = [...of(v, "escalation"), ...of(v, "runbook.retry-scheduled")].map((d) => d.attempt);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    // Whoever completed it, its page is resolved (the holder that paged, or the one that finished).
    expect(of(v, "failover.completed")).toHaveLength(1);
    const resolved = of(v, "escalation.resolved").filter((d) => d.reason === "runbook-failed");
    expect(resolved.length).toBeGreaterThan(0);
    // Said as what happened (the failover, by whichever controller), not as a decision about the new active region.
    for (const d of resolved) expect(d.why).toMatch(/^(failover completed: us-west-2 is active|us-west-2 is the active region now)/);
  }, 60_000);

  it("the holder that paged dies mid-attempt: the controller that resumes its run resolves its page when the incident ends", async () => {
    // us-east-2 (the witness) takes the lease first, pages at 12m32s, and dies at 13m during its
    // second attempt, back at 40m. The survivor resumes the run, then loses its quorum (no-quorum),
    // and the incident closes when us-east-1's outage is seen to be over.
    const v = await run("routing-control-endpoints-unreachable", (s) => ({ ...s, faults: [...s.faults, { kind: "controller-crash", at: 13 * 60_000, until: 40 * 60_000, region: "us-east-2" }], expect: { ...s.expect, escalations: { min: 2, max: 2 } } }));
    expect(v.violations).toEqual([]);
    const first = of(v, "runbook.started")[0]!;
    expect(first).toMatchObject({ controller: "us-east-2#0" });
    expect(of(v, "escalation").map((d) => d.reason)).toEqual(["runbook-failed", "no-quorum"]);
    expect(of(v, "escalation.adopted")).toEqual([expect.objectContaining({ reason: "runbook-failed", incident: first.incident, controller: "us-west-2#0" })]);
    expect(of(v, "escalation.resolved")).toContainEqual(expect.objectContaining({ reason: "runbook-failed", incident: first.incident, controller: "us-west-2#0" }));
  }, 60_000);
});
