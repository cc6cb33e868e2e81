// "The controller survives any single AWS call failing, timing out or
// returning garbage": for each call a control cycle makes, the witness
// controller's responses to it are corrupted for five minutes (fields
// missing, or of the wrong type). The cycle must go on, report the call and
// the region, move nothing, and be clean again once the garbage stops.
import { describe, expect, it } from "vitest";
import type { ClientDecorator } from "../../src/aws/index.js";
import { FailoverController } from "../../src/controller/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const SCENARIO = `name: garbage
duration: 16m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
`;
const FROM_MS = 5 * 60_000;
const UNTIL_MS = 10 * 60_000;

type Shape = "empty" | "wrong-types";

/** Replaces the world's answer to `command` (e.g. "GetMetricDataCommand") with garbage while the window lasts. */
function corrupt(nowMs: () => number, command: string, shape: Shape): (caller: string) => ClientDecorator {
  return (caller) => {
    if (caller !== "us-east-2") return () => undefined;
    return (client) => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          const now = nowMs();
          if ((context as { commandName?: string }).commandName !== command || now < FROM_MS || now >= UNTIL_MS) return out;
          const garbage: Record<string, unknown> = { $metadata: out.output.$metadata };
          if (shape === "wrong-types") for (const k of Object.keys(out.output)) if (k !== "$metadata") garbage[k] = "garbage";
          return { ...out, output: garbage as unknown as typeof out.output };
        },
        { step: "initialize", priority: "high", name: "garbageForTests" },
      );
    };
  };
}

// Per call: does an answer with every field missing count as garbage? For
// GetMetricData it means "no data" and for GetItem "not found", both real
// answers the cycle must take calmly without calling them errors.
const CALLS = [
  ["GetMetricDataCommand", "cloudwatch:GetMetricData", false],
  ["DescribeGlobalClustersCommand", "rds:DescribeGlobalClusters", true],
  ["QueryCommand", "dynamodb:Query", true],
  ["GetItemCommand", "dynamodb:GetItem", false],
] as const;

describe("a control cycle fed garbage by one AWS call", () => {
  for (const [command, call, emptyIsGarbage] of CALLS) {
    for (const shape of ["empty", "wrong-types"] as const) {
      it(`${call} answering ${shape}: the cycle goes on, names the call and region, moves nothing`, async () => {
        const session: SimSession = new SimSession(parseScenario(SCENARIO, "garbage.yaml"), { controller: realController, decorate: corrupt(() => session.clock.now(), command, shape) });
        const witness = () => {
          const c = session.controllerIn("us-east-2");
          if (!(c instanceof FailoverController)) throw new Error("no witness controller");
          return c;
        };
        const during: string[] = [];
        let cleanAfter = false;
        for (let t = 0; t <= session.scenario.duration; t += 10_000) {
          await session.stepUntil(() => false, t);
          const errors = witness().status().lastCycle?.errors ?? [];
          if (t > FROM_MS + 30_000 && t < UNTIL_MS) during.push(...errors);
          if (t > UNTIL_MS + 120_000) cleanAfter ||= errors.length === 0;
        }
        const v = session.finish();
        expect(v.measured).toMatchObject({ failovers: 0, rtoMs: 0, splitBrainMs: 0, activeRegion: "us-east-1" });
        if (shape === "wrong-types" || emptyIsGarbage) expect(during.some((e) => new RegExp(`${call} in us-(east|west)-\\d`).test(e))).toBe(true);
        else expect(during).toEqual([]);
        expect(cleanAfter).toBe(true);
      }, 60_000);
    }
  }
});
