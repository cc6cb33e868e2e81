// `failover status` shows the readiness checks the daemon runs on schedule.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("failover status: readiness", () => {
  it("lists every check with its result, in text and in --json", async () => {
    const text = await cli(["status", "--config", "config/sandbox.yaml", "--sandbox"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^readiness:$/m);
    expect(text.stdout).toMatch(/^ {2}ok {3}replicas {7}every table has an ACTIVE replica/m);
    const json = JSON.parse((await cli(["--json", "status", "--config", "config/sandbox.yaml", "--sandbox"])).stdout) as { readiness: { check: string; ok: boolean }[] };
    expect(json.readiness.map((r) => r.check)).toEqual(["budget", "coordination", "writer", "targets", "health", "lag", "replicas", "health-checks", "runbooks", "iam"]);
    expect(json.readiness.every((r) => r.ok)).toBe(true);
  }, 60_000);
});
