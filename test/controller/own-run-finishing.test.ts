// A controller's own run has ended while its bookkeeping (clearing the
// control record's incident marker, releasing the lease, writing the
// incident record) is still under way. A tick in that window reads the
// marker and the record as a dead controller would have left them, and must
// not resume the run: a second run of a finished runbook, whose fenced calls
// can land after the released lease was taken (sweep seed 450152 under
// records: a record UPSERT by a controller no longer holding the lease).
import type { MiddlewareStack } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const OUTAGE = `name: finishing
duration: 30m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 28m, kind: region-outage, region: us-east-1 }
`;

/** Holds back the write that clears the incident marker (the first step of a finished run's bookkeeping) for 15 s: longer than a control cycle. */
const SLOW_CLEAR_MS = 15_000;

describe("a run that has just ended", () => {
  it("is not resumed by its own controller while its bookkeeping is written, and nothing moves without the lease", async () => {
    let held = 0;
    // The middleware reads `session` only when a call is made, after the constructor returned.
    const session: SimSession = new SimSession(parseScenario(OUTAGE, "finishing.yaml"), {
      controller: realController,
      decorate: () => (client, service) => {
        if (service !== "dynamodb") return;
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next, context) => async (args) => {
            // Before the world sees it: until then the table still holds the marker.
            const input = args.input as { ExpressionAttributeValues?: Record<string, { S?: string }> };
            const clearing = (context as { commandName?: string }).commandName === "UpdateItemCommand" && input.ExpressionAttributeValues?.[":inc"]?.S === "";
            if (clearing) {
              held++;
              await session.clock.sleep(SLOW_CLEAR_MS);
            }
            return next(args);
          },
          { step: "initialize", priority: "high", name: "slowMarkerClear" },
        );
      },
    });
    const events = (name: string) => session.world.timeline.filter((e) => e.event === name);
    expect(await session.stepUntil(() => events("failover.completed").length > 0, 20 * 60_000)).toBe(true);
    await session.stepUntil(() => false, session.world.nowMs + 60_000);
    const completed = events("failover.completed")[0]!;
    // The hold did happen (a renamed placeholder would silently skip it).
    expect(held).toBeGreaterThan(0);
    // The run was started once and never resumed, by anyone.
    expect(events("runbook.started").filter((e) => e.detail?.incident === completed.detail?.incident)).toHaveLength(1);
    expect(events("runbook.resumed")).toEqual([]);
    expect(session.world.unleased).toEqual([]);
  }, 60_000);
});
