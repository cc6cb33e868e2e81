// An unplanned failover moves clients off the old writer before promoting
// only when the old writer still answers (controller.ts oldWriterAnswers,
// docs/runbooks.md): then Aurora may be unable to fence it. A dead region
// must keep the fast order (promote, then move traffic while Aurora works).
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario, type Verdict } from "../../src/sim/runner.js";
import { loadScenarios } from "../../src/sim/scenario.js";

async function run(name: string): Promise<Verdict> {
  const [loaded] = await loadScenarios(`test/gameday/${name}.yaml`);
  return runScenario(loaded!.scenario, { controller: realController, file: loaded!.file });
}

const drainFirst = (v: Verdict) => v.timeline.filter((e) => e.event === "failover.drain-first");
const atOf = (v: Verdict, event: string) => v.timeline.find((e) => e.event === event)?.atMs;

describe("drain first when the old writer still answers", () => {
  for (const name of ["old-writer-cut-from-target", "routing-control-old-writer-cut-from-target"]) {
    it(`${name}: traffic moves and clients leave before the promotion, no second writer`, async () => {
      const v = await run(name);
      expect(v.violations).toEqual([]);
      expect(drainFirst(v)).toHaveLength(1);
      // Route 53 answers the target before Aurora starts promoting it.
      expect(atOf(v, "dns.answer")!).toBeLessThan(atOf(v, "aurora.failover.started")!);
      expect(v.measured.splitBrainMs).toBe(0);
    });
  }

  it("old-writer-cut-from-target-lag-near-rpo: the lag plus the wait is over the RPO, so a person decides at the approval gate", async () => {
    const v = await run("old-writer-cut-from-target-lag-near-rpo");
    expect(v.violations).toEqual([]);
    const raised = v.timeline.find((e) => e.event === "escalation" && e.detail?.reason === "rpo-breach");
    expect(raised?.detail?.detail).toMatch(/still answers, so clients must leave it/);
    // Open while the gated run waits: not resolved by the next cycle's decision (still "failover").
    const resolved = v.timeline.find((e) => e.event === "escalation.resolved" && e.detail?.reason === "rpo-breach");
    expect(resolved === undefined || resolved.atMs - raised!.atMs >= 10 * 60_000).toBe(true);
    expect(v.timeline.some((e) => e.event === "runbook.started" && e.detail?.approvalRequired === true)).toBe(true);
    expect(v.measured.failovers).toBe(0);
  });

  for (const name of ["region-outage", "routing-control-region-outage"]) {
    it(`${name}: a dead region keeps the fast order (promotion first)`, async () => {
      const v = await run(name);
      expect(v.violations).toEqual([]);
      expect(drainFirst(v)).toEqual([]);
      expect(atOf(v, "aurora.failover.started")!).toBeLessThan(atOf(v, "dns.answer")!);
    });
  }
});
