// The controller with runbooks.engine step-functions, in the simulated world
// (the primary region goes dark at 10 min; the witness's controller acts):
// start errors escalate naming the call, region and error and never fall
// back to the local engine; garbage from DescribeExecution and
// GetExecutionHistory is a soft error; /status shows the execution; a
// controller shutting down leaves the execution running.
import { SFNServiceException, StateMachineDoesNotExist } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import type { ClientDecorator } from "../../src/aws/index.js";
import { FailoverController } from "../../src/controller/index.js";
import { realController } from "../../src/sim/real-controller.js";
import { SimSession } from "../../src/sim/runner.js";
import { parseScenario } from "../../src/sim/scenario.js";

const SCENARIO = `name: sfn
duration: 30m
world: { regions: [us-east-1, us-west-2, us-east-2], witness: us-east-2 }
controller: { runbooks: { engine: step-functions }, coordination: { consistency: strong } }
faults: [{ at: 10m, kind: region-outage, region: us-east-1 }]
`;

/** Called before the world answers (output undefined: may throw so the call never reaches it), then with the answer. */
type Tamper = (command: string, output: Record<string, unknown> | undefined, nowMs: number) => Record<string, unknown> | undefined;

/** A middleware above the world's answer on every controller's clients: it may throw, or rewrite the answer. */
function tamper(nowMs: () => number, fn: Tamper): (caller: string) => ClientDecorator {
  return () => (client) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName);
        fn(command, undefined, nowMs());
        const out = await next(args);
        return { ...out, output: fn(command, out.output as unknown as Record<string, unknown>, nowMs()) as unknown as typeof out.output };
      },
      { step: "initialize", priority: "high", name: "tamperForTests" },
    );
  };
}

function session(fn?: Tamper) {
  const s: SimSession = new SimSession(parseScenario(SCENARIO, "sfn.yaml"), { controller: realController, ...(fn && { decorate: tamper(() => s.clock.now(), fn) }) });
  return s;
}
const witness = (s: SimSession) => {
  const c = s.controllerIn("us-east-2");
  if (!(c instanceof FailoverController)) throw new Error("no witness controller");
  return c;
};
const events = (s: SimSession, name: string) => s.world.timeline.filter((e) => e.event === name);

describe("controller with engine step-functions", () => {
  const startErrors: [string, Tamper, RegExp][] = [
    [
      "state machine missing",
      (command, out) => {
        if (command === "DescribeStateMachineCommand") throw new StateMachineDoesNotExist({ message: "State Machine Does Not Exist", $metadata: {} });
        return out;
      },
      /states:DescribeStateMachine in us-west-2: .*failover-orders-failover does not exist/,
    ],
    [
      "definition differs from runbooks/",
      (command, out) => (command === "DescribeStateMachineCommand" && out ? { ...out, definition: '{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}' } : out),
      /states:DescribeStateMachine in us-west-2: the definition of .* differs from runbooks\/failover.asl.json/,
    ],
    [
      "no permission to start",
      (command, out) => {
        if (command === "StartExecutionCommand" && !out) throw new SFNServiceException({ name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 400 }, message: "not authorized to perform states:StartExecution" });
        return out;
      },
      /states:StartExecution in us-west-2 failed: AccessDeniedException/,
    ],
  ];
  it.each(startErrors)("%s: an escalation naming the call, region and error; nothing promoted, no local fall-back", async (_name, fn, cause) => {
    const s = session(fn);
    await s.stepUntil(() => false, 15 * 60_000);
    const v = s.finish();
    const failed = events(s, "escalation").filter((e) => e.detail?.error === "Runbook.StartFailed");
    expect(failed.length).toBeGreaterThan(0);
    expect(String(failed[0]!.detail?.cause)).toMatch(cause);
    expect(events(s, "runbook.execution")).toEqual([]);
    expect(events(s, "aurora.failover.started")).toEqual([]);
    expect(v.measured.failovers).toBe(0);
  }, 60_000);

  it("garbage from DescribeExecution and GetExecutionHistory is a soft error naming the call; the failover completes when it stops", async () => {
    const FROM = 10 * 60_000;
    const UNTIL = 14 * 60_000;
    const s = session((command, out, now) => {
      if (!out || now < FROM || now >= UNTIL) return out;
      if (command === "DescribeExecutionCommand") return { ...out, status: "garbage" };
      if (command === "GetExecutionHistoryCommand") return { ...out, events: "garbage" };
      return out;
    });
    const seen: string[] = [];
    for (let t = FROM; t < UNTIL; t += 10_000) {
      await s.stepUntil(() => false, t);
      const e = witness(s).status().execution?.lastError;
      if (e) seen.push(e);
    }
    await s.stepUntil(() => false, 30 * 60_000);
    const v = s.finish();
    expect(seen.some((e) => /states:DescribeExecution in us-west-2 failed: InvalidResponse/.test(e))).toBe(true);
    expect(v.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2" });
    expect(events(s, "escalation")).toEqual([]);
  }, 60_000);

  it("status shows the execution: ARN, current state, since when, console link", async () => {
    const s = session();
    let shown;
    for (let t = 10 * 60_000; t < 15 * 60_000 && !shown?.state; t += 5_000) {
      await s.stepUntil(() => false, t);
      shown = witness(s).status().execution;
    }
    s.finish();
    expect(shown).toMatchObject({
      executionArn: expect.stringMatching(/^arn:aws:states:us-west-2:111122223333:execution:failover-orders-failover:orders-us-east-1-\d+-e1$/),
      region: "us-west-2",
      status: "RUNNING",
      state: expect.any(String),
      stateSinceMs: expect.any(Number),
    });
    if (!shown) throw new Error("no execution shown");
    expect(shown.consoleUrl).toBe(`https://us-west-2.console.aws.amazon.com/states/home?region=us-west-2#/v2/executions/details/${encodeURIComponent(shown.executionArn)}`);
  }, 60_000);

  it("a controller shutting down stops following, not the execution; the next lease holder supersedes it and finishes the incident, promoting once", async () => {
    const s = session();
    await s.stepUntil(() => events(s, "runbook.execution").length > 0, 15 * 60_000);
    const arn = String(events(s, "runbook.execution")[0]!.detail?.executionArn);
    await s.drive(witness(s).shutdown(), 20 * 60_000);
    s.retire("us-east-2", 60 * 60_000);
    await s.stepUntil(() => false, 30 * 60_000);
    const v = s.finish();
    // Stopped by the controller that took the lease over (epoch 2), not by the shutdown.
    expect(events(s, "runbook.execution.stopped").map((e) => [e.detail?.executionArn, e.detail?.reason, String(e.detail?.controller).split("#")[0]])).toEqual([[arn, "superseded by epoch 2", "us-west-2"]]);
    expect(v.measured).toMatchObject({ failovers: 1, activeRegion: "us-west-2" });
    expect(events(s, "aurora.failover.started")).toHaveLength(1);
  }, 60_000);
});
