// `failover --to R`: the manual failover, refused with why when unsafe.
import { describe, expect, it } from "vitest";
import { routeFlagCommands } from "../../src/cli/program.js";
import { cli } from "../helpers/cli.js";

describe("failover --to", () => {
  it("runs a planned switchover in the twin with --yes and reports the runbook, incident and epoch", async () => {
    const r = await cli(["--json", "--to", "us-west-2", "--config", "config/sandbox.yaml", "--sandbox", "--yes"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ refused: false, runbook: "switchover", from: "us-east-1", to: "us-west-2", mode: "planned", status: "succeeded", epoch: 1 });
  });

  it("--unplanned runs the failover runbook", async () => {
    const r = await cli(["--json", "--to", "us-west-2", "--unplanned", "--config", "config/sandbox.yaml", "--sandbox", "--yes"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runbook: "failover", mode: "unplanned", status: "succeeded" });
  });

  it("refuses the active region (exit 1, nothing changed)", async () => {
    const r = await cli(["--to", "us-east-1", "--config", "config/sandbox.yaml", "--sandbox", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("failover: refused, nothing changed: us-east-1 is already the active region\n");
  });

  it("refuses an unknown region (exit 2), and asks for confirmation without --yes", async () => {
    expect((await cli(["--to", "eu-west-1", "--config", "config/sandbox.yaml", "--sandbox", "--yes"])).code).toBe(2);
    const noTty = await cli(["--to", "us-west-2", "--config", "config/sandbox.yaml", "--sandbox"]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/without confirmation.*--yes/);
  });

  it("routes the flag forms of specs/cli.md to their commands, and leaves named commands alone", () => {
    const names = ["plan", "drill", "move", "validate"];
    expect(routeFlagCommands(["--drill", "--config", "c.yaml", "--json"], names)).toEqual(["--json", "drill", "--config", "c.yaml"]);
    expect(routeFlagCommands(["--log-level", "warn", "--to", "us-west-2", "--config", "c.yaml"], names)).toEqual(["--log-level", "warn", "move", "--to", "us-west-2", "--config", "c.yaml"]);
    expect(routeFlagCommands(["plan", "--to", "us-west-2", "--config", "c.yaml"], names)).toEqual(["plan", "--to", "us-west-2", "--config", "c.yaml"]);
  });
});
