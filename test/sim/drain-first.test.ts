// An unplanned failover moves clients off the old writer before promoting
// only when the old writer still answers (controller.ts oldWriterAnswers,
// docs/runbooks.md): then Aurora may be unable to fence it. A dead region
// must keep the fast order (promote, then move traffic while Aurora works).
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario, type Verdict } from "../../src/sim/runner.js";
import { loadScenarios, parseScenario } from "../../src/sim/scenario.js";

async function run(name: string, seed?: number): Promise<Verdict> {
  const [loaded] = await loadScenarios(`test/gameday/${name}.yaml`);
  return runScenario(loaded!.scenario, { controller: realController, file: loaded!.file, ...(seed !== undefined && { seed }) });
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

  it("a long TTL (200 s): the target's switch is kept fresh through the wait, so Route 53 never answers the old writer again", async () => {
    const text = (await readFile("test/gameday/old-writer-cut-from-target.yaml", "utf8")).replace("witness: us-east-2 }", "witness: us-east-2, dnsTtl: 200s }");
    const v = await runScenario(parseScenario(text, "old-writer-cut-from-target-ttl-200s.yaml"), { controller: realController });
    expect(drainFirst(v)).toHaveLength(1);
    expect(v.measured.splitBrainMs).toBe(0);
  });

  it("a dead region whose controller's clock ran 20 s ahead: its last view (itself well) is no evidence", async () => {
    const text = (await readFile("test/gameday/region-outage.yaml", "utf8")).replace("faults:\n", "faults:\n  - { at: 1m, kind: clock-skew, region: us-east-1, skew: 20s }\n");
    expect(text).toContain("clock-skew");
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const v = await runScenario(parseScenario(text, "region-outage-skewed.yaml"), { controller: realController, seed });
      expect(drainFirst(v), `seed ${seed}`).toEqual([]);
    }
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
