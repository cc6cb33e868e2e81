// The sweep across worker threads gives what one thread gives, seed for
// seed and in seed order (the output of `gameday --sweep` must not depend
// on how many CPUs ran it).
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/sim/sweep-pool.js";
import { cli } from "../helpers/cli.js";

describe("sweep pool", () => {
  it("reports and returns the same verdicts, in seed order, on 2 worker threads as in this thread", async () => {
    const seen: number[] = [];
    const pooled = await runSweep(3, 10, { controller: true, workers: 2, onVerdict: (v) => void seen.push(v.seed) });
    const here = await runSweep(3, 10, { controller: true, workers: 1 });
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 3 + i));
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(here));
  }, 120_000);

  it("refuses --workers 0", async () => {
    const r = await cli(["gameday", "--sweep", "1", "--workers", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers must be at least 1/);
  });
});
