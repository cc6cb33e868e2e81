// routing-control end to end in the twin of an operator's config: the real
// controller moves traffic with one routing-control flip, overrides a safety
// rule only when the operator passed one, and the CLI refuses the flag
// where it has no meaning.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { FailoverController, ManualRefused } from "../../src/controller/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { SIM_SAFETY_RULE_ARN } from "../../src/sim/arc.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { cli } from "../helpers/cli.js";

const FILE = "test/fixtures/config/routing-control.yaml";

async function twin(file = FILE) {
  const { config } = await loadConfig(file);
  const session = new SimSession(parseScenario(sandboxScenario(config), "sandbox"), { controller: realController });
  await session.stepUntil(() => false, 60_000);
  const witness = session.controllerIn("us-east-2");
  if (!(witness instanceof FailoverController)) throw new Error("no witness controller");
  return { session, witness };
}

const controls = (s: SimSession) => s.world.timeline.filter((e) => e.event === "arc.controls").map((e) => e.detail);

describe("routing-control in the twin of an operator's config", () => {
  it("the twin runs the config's strategy: a planned move flips both controls in one call, DNS follows, no kill switch", async () => {
    const { session, witness } = await twin();
    expect(session.config.traffic.strategy).toBe("routing-control");
    const r = await session.drive(witness.failoverTo("us-west-2", "planned"), 2 * 3_600_000);
    expect(r).toMatchObject({ runbook: "switchover", status: "succeeded" });
    expect(controls(session)).toEqual([{ endpoint: expect.any(String), "us-west-2": "On", "us-east-1": "Off" }]);
    await session.stepUntil(() => false, session.world.nowMs + 15_000);
    expect(session.world.dnsAnswer()).toBe("us-west-2");
  });

  it("overrides a safety rule only when the operator names it, and says so in the decision", async () => {
    const { session, witness } = await twin();
    await session.drive(witness.failoverTo("us-west-2", "unplanned", { safetyRulesToOverride: [SIM_SAFETY_RULE_ARN] }), 2 * 3_600_000);
    expect(controls(session)[0]).toMatchObject({ overridden: [SIM_SAFETY_RULE_ARN] });
    expect(session.world.timeline.find((e) => e.event === "safety-rules.overridden")?.detail).toMatchObject({ rules: [SIM_SAFETY_RULE_ARN], by: "operator" });
    // Without the flag, nothing is overridden.
    const plain = await twin();
    await plain.session.drive(plain.witness.failoverTo("us-west-2", "unplanned"), 2 * 3_600_000);
    expect(controls(plain.session)[0]).not.toHaveProperty("overridden");
    expect(plain.session.world.timeline.some((e) => e.event === "safety-rules.overridden")).toBe(false);
  });

  it("refuses an override on a config that does not use routing controls (nothing changed)", async () => {
    const { session, witness } = await twin("config/sandbox.yaml");
    await expect(session.drive(witness.failoverTo("us-west-2", "planned", { safetyRulesToOverride: ["arn:x"] }), 600_000)).rejects.toBeInstanceOf(ManualRefused);
    expect(session.world.aurora.writer).toBe("us-east-1");
    // Refused before the lease is taken: the controller does not hold it afterwards.
    expect(witness.status().lease.heldByMe).toBe(false);
  });

  it("CLI: --override-safety-rules needs routing-control and safety rule ARNs (exit 2)", async () => {
    const wrongStrategy = await cli(["--to", "us-west-2", "--config", "config/sandbox.yaml", "--sandbox", "--yes", "--override-safety-rules", SIM_SAFETY_RULE_ARN]);
    expect(wrongStrategy.code).toBe(2);
    expect(wrongStrategy.stderr).toMatch(/needs traffic.strategy routing-control in config\/sandbox.yaml/);
    const notARule = await cli(["--to", "us-west-2", "--config", FILE, "--sandbox", "--yes", "--override-safety-rules", "arn:aws:route53-recovery-control::111122223333:controlpanel/p/routingcontrol/x"]);
    expect(notARule.code).toBe(2);
    expect(notARule.stderr).toMatch(/expects ARC safety rule ARNs/);
  });
});
