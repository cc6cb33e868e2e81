// The drill learns routing-control: its readiness checks read every routing
// control on the cluster's endpoints (only the active region's On) and the
// RECOVERY_CONTROL health checks; its twin rehearses with routing controls.
import { describe, expect, it } from "vitest";
import type { DrillReport } from "../../src/cli/commands/drill.js";
import { readinessChecks } from "../../src/cli/commands/drill-checks.js";
import { loadConfig } from "../../src/config/index.js";
import { FailoverController } from "../../src/controller/index.js";
import { sandboxScenario } from "../../src/daemon/sandbox.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";
import { cli } from "../helpers/cli.js";

const FILE = "test/fixtures/config/routing-control.yaml";

describe("failover plan on a routing-control config", () => {
  it("shows the one-call flip on the cluster's endpoints right after the promotion call, and no kill switch", async () => {
    const r = await cli(["plan", "--json", "--config", FILE, "--sandbox", "--to", "us-west-2", "--region", "us-east-2"]);
    expect(r.code).toBe(0);
    const { plan } = JSON.parse(r.stdout) as { plan: { runbook: string; steps: { state: string; action?: string; region?: string }[] } };
    const states = plan.steps.map((s) => s.state);
    const flip = plan.steps.find((s) => s.state === "FlipRoutingControls");
    expect(flip).toMatchObject({ action: "route53-recovery-cluster:UpdateRoutingControlStates", region: "arc-cluster(us-east-1,us-west-2,eu-west-1,ap-northeast-1,ap-southeast-2)" });
    expect(plan.steps.some((s) => s.action === "cloudwatch:PutMetricData")).toBe(false);
    if (plan.runbook === "failover") expect(states.indexOf("FlipRoutingControls")).toBeLessThan(states.indexOf("DescribePromotion"));
  });
});

describe("failover --drill on a routing-control config", () => {
  it("--sandbox --json: the routing-controls and health-checks checks pass, the twin fails over with routing controls", async () => {
    // The failback phase is the drill's own concern (test/cli/drill.test.ts), not this strategy's.
    const r = await cli(["--drill", "--json", "--config", FILE, "--sandbox", "--no-failback"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DrillReport;
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["budget", true], ["coordination", true], ["writer", true], ["targets", true], ["health", true], ["lag", true], ["replicas", true], ["routing-controls", true], ["health-checks", true], ["runbooks", true], ["iam", true],
    ]);
    expect(report.checks.find((c) => c.name === "routing-controls")?.detail).toMatch(/^only the active region's control is On: us-east-1 On, us-west-2 Off/);
    expect(report.phases.map((p) => [p.name, p.status])).toEqual([["failover", "succeeded"]]);
    // Measured from the simulated clients: well under the 15m RTO (about 1.5-3.5 min in the twin).
    expect(report.phases[0]!.rtoMs).toBeLessThan(5 * 60_000);
  });

  it("fails the routing-controls check when a control other than the active region's is On", async () => {
    const { config } = await loadConfig(FILE);
    const session = new SimSession(parseScenario(sandboxScenario(config), "sandbox"), { controller: realController });
    await session.stepUntil(() => false, 60_000);
    const witness = session.controllerIn("us-east-2");
    const adapters = session.adaptersIn("us-east-2");
    if (!(witness instanceof FailoverController) || !adapters || config.traffic.strategy !== "routing-control") throw new Error("no witness");
    const arc = adapters.routingControl!(config.traffic.clusterEndpoints);
    await session.drive(arc.updateRoutingControlStates({ entries: [{ arn: config.traffic.routingControls["us-west-2"]!, state: "On" }] }), 120_000);
    const checks = await session.drive(readinessChecks(config, witness, adapters), 600_000);
    expect(checks.find((c) => c.name === "routing-controls")).toMatchObject({ ok: false, detail: expect.stringMatching(/disagree with the active region us-east-1: us-west-2 is On/) });
  });
});
