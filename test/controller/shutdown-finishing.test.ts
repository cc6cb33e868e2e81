// A controller told to stop (SIGTERM: a deploy, a scale-in) just as its run
// has ended, with the run's bookkeeping (incident record, marker, lease)
// still being written. If shutdown returned at once, the process would exit
// with the marker set and the record still "acting": the next holder would
// resume a finished runbook. Shutdown waits for that bookkeeping.
import type { MiddlewareStack } from "@smithy/types";
import { describe, expect, it } from "vitest";
import type { FailoverController } from "../../src/controller/index.js";
import { never } from "../../src/sim/middleware.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const OUTAGE = `name: shutdown-finishing
duration: 30m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
faults:
  - { at: 5m, until: 28m, kind: region-outage, region: us-east-1 }
`;

/** Holds back the finished run's incident record for 3 s: inside shutdown's wait, longer than no wait at all. */
const SLOW_RECORD_MS = 3_000;

describe("shutdown while a finished run's outcome is written", () => {
  it("waits for the outcome, so the process exits with nothing left to resume", async () => {
    let holding: string | undefined;
    let exited: string | undefined;
    const session: SimSession = new SimSession(parseScenario(OUTAGE, "shutdown-finishing.yaml"), {
      controller: realController,
      decorate: (region) => (client, service) => {
        if (service !== "dynamodb") return;
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next, context) => async (args) => {
            // Once its shutdown returned, the process is gone: none of its calls lands.
            if (exited === region) return never();
            const input = args.input as { Item?: { incident?: { S?: string } } };
            const record = (context as { commandName?: string }).commandName === "PutItemCommand" && input.Item?.incident?.S?.includes('"state":"resolved"');
            if (record && holding === undefined) {
              holding = region;
              await session.clock.sleep(SLOW_RECORD_MS);
              if (exited === region) return never();
            }
            return next(args);
          },
          { step: "initialize", priority: "high", name: "slowIncidentRecord" },
        );
      },
    });
    const events = (name: string) => session.world.timeline.filter((e) => e.event === name);
    expect(await session.stepUntil(() => holding !== undefined, 20 * 60_000)).toBe(true);
    const ctrl = session.live.find((c) => (c as FailoverController).status().region === holding) as FailoverController;
    void ctrl.shutdown().then(() => (exited = holding));
    expect(await session.stepUntil(() => exited !== undefined, session.world.nowMs + 10_000)).toBe(true);
    await session.stepUntil(() => false, session.world.nowMs + 3 * 60_000);
    const completed = events("failover.completed");
    // The run's bookkeeping finished before the process went: the run completed, once, and nobody resumed it.
    expect(completed).toHaveLength(1);
    expect(events("runbook.started").filter((e) => e.detail?.incident === completed[0]!.detail?.incident)).toHaveLength(1);
    expect(events("runbook.resumed")).toEqual([]);
    expect(session.world.unleased).toEqual([]);
  }, 60_000);
});
