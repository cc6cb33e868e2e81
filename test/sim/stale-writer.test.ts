// An old primary Aurora could not fence keeps naming itself the writer in its
// own region (the simulator's worst case). The controllers page the dispute,
// never fail over to it on its own word, and, when a person approves a
// failover to it, promote it rather than take its word that it already is
// the writer. Once a runbook made it the active region, its word counts
// again, and the region it replaced is the one the page names.
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { runScenario, type Verdict } from "../../src/sim/runner.js";
import { loadScenarios } from "../../src/sim/scenario.js";

async function run(name: string): Promise<Verdict> {
  const [loaded] = await loadScenarios(`test/gameday/${name}.yaml`);
  return runScenario(loaded!.scenario, { controller: realController, file: loaded!.file });
}
const pages = (v: Verdict, reason: string) => v.timeline.filter((e) => e.event === "escalation" && e.detail?.reason === reason).map((e) => String(e.detail?.detail));

describe("an old primary that still calls itself the writer", () => {
  it("is paged, and nobody fails over to it on its own word", async () => {
    const v = await run("stale-writer-then-new-writer-lost");
    expect(v.violations).toEqual([]);
    expect(pages(v, "writer-disagreement")[0]).toContain("us-east-1 still calls itself the writer");
    // Its lag is unknown, so the loss is a person's call.
    expect(v.timeline.some((e) => e.event === "decision" && e.detail?.action === "failover" && e.detail?.to === "us-east-1")).toBe(false);
  }, 60_000);

  it("an approved failover to it promotes it, and the page then names the region it replaced", async () => {
    const v = await run("stale-writer-failover-approved");
    expect(v.violations).toEqual([]);
    expect(v.timeline.some((e) => e.event === "aurora.promoted" && e.detail?.to === "us-east-1")).toBe(true);
    const later = pages(v, "writer-disagreement").at(-1);
    expect(later).toContain("us-west-2 still calls itself the writer");
    expect(later).toContain("clients are sent to us-east-1");
  }, 60_000);
});
