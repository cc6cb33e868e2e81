import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("failover plan and status (--sandbox: a simulated twin, no AWS)", () => {
  it("plan --to prints the runbook path with each AWS call and the region it goes to, changing nothing", async () => {
    const r = await cli(["--json", "plan", "--config", "config/sandbox.yaml", "--sandbox", "--to", "us-west-2"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { decision: { action: string }; plan: { runbook: string; steps: { state: string; action?: string; region?: string }[] } };
    expect(out.decision.action).toBe("none");
    expect(out.plan.runbook).toBe("switchover"); // the primary answers: planned, RPO 0
    const calls = out.plan.steps.filter((s) => s.action).map((s) => `${s.action}@${s.region}`);
    expect(calls).toContain("rds:SwitchoverGlobalCluster@us-east-1");
    expect(calls).toContain("cloudwatch:PutMetricData@us-west-2");
    expect(calls.at(-1)).toBe("dynamodb:UpdateItem@us-east-2");
  }, 60_000);

  it("status shows every observer's view, the active region and the lease", async () => {
    const r = await cli(["--json", "status", "--config", "config/sandbox.yaml", "--sandbox"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { activeRegion: string; writerRegion: string; views: { observer: string }[]; lease: { epoch: number } };
    expect(s).toMatchObject({ activeRegion: "us-east-1", writerRegion: "us-east-1", lease: { epoch: 0 } });
    expect(s.views.map((v) => v.observer).sort()).toEqual(["us-east-1", "us-east-2", "us-west-2"]);
  }, 60_000);

  it("refuses --to a region that is not in the config (exit 2)", async () => {
    const r = await cli(["plan", "--config", "config/sandbox.yaml", "--sandbox", "--to", "eu-west-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to must be an app region/);
  });
});
