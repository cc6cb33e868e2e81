// The Step Functions follower against a scripted Step Functions: names per
// incident, epoch and retry; adopting a succeeded execution instead of
// starting again; an execution stopped by someone else; an execution whose
// region stops answering.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AwsAdapters, ExecutionDescription, SfnApi } from "../../src/aws/index.js";
import { parseConfigText } from "../../src/config/index.js";
import { StepFunctionsFollower, runbookInput } from "../../src/controller/index.js";
import { AwsCallError, ManualClock } from "../../src/core/index.js";
import type { Definition, RunbookName } from "../../src/runbooks/index.js";

const config = parseConfigText(readFileSync("config/sandbox.yaml", "utf8").replace("engine: local", "engine: step-functions").replace("consistency: single-region", "consistency: strong"), "c").config;
const definitions = Object.fromEntries((["failover", "switchover", "failback"] as const).map((n) => [n, JSON.parse(readFileSync(`runbooks/${n}.asl.json`, "utf8")) as Definition])) as Record<RunbookName, Definition>;
const MACHINE = "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-failover";
const exec = (name: string) => `${MACHINE.replace(":stateMachine:", ":execution:")}:${name}`;
const notFound = (arn: string) => new AwsCallError({ call: "states:DescribeExecution", region: "us-west-2", retryable: false, code: "ExecutionDoesNotExist", cause: new Error(arn) });

/** A scripted Step Functions: executions by name, with the statuses a test gives them. */
function fakeSfn(known: Record<string, ExecutionDescription["status"]>, opts: { unreachableAfterStart?: boolean; runbook?: RunbookName; state?: string } = {}) {
  const started: string[] = [];
  const stopped: string[] = [];
  let down = false;
  const sfn: Partial<SfnApi> = {
    region: "us-west-2",
    describeStateMachine: () => Promise.resolve({ arn: MACHINE, definition: JSON.stringify(definitions[opts.runbook ?? "failover"]), roleArn: "r" }),
    describeExecution: (arn) => {
      if (down) return Promise.reject(new AwsCallError({ call: "states:DescribeExecution", region: "us-west-2", retryable: true, code: "TimeoutError", cause: new Error("timed out") }));
      const name = arn.split(":").at(-1)!;
      const status = known[name];
      return status ? Promise.resolve({ executionArn: arn, status, ...(status === "ABORTED" && { error: "Operator.Stopped", cause: "manual recovery" }) }) : Promise.reject(notFound(arn));
    },
    listExecutions: () => Promise.resolve(Object.entries(known).filter(([, s]) => s === "RUNNING").map(([name, status]) => ({ executionArn: exec(name), name, status }))),
    stopExecution: ({ executionArn }) => {
      stopped.push(executionArn);
      known[executionArn.split(":").at(-1)!] = "ABORTED";
      return Promise.resolve();
    },
    startExecution: ({ name }) => {
      started.push(name);
      known[name] = "RUNNING";
      if (opts.unreachableAfterStart) down = true;
      return Promise.resolve({ executionArn: exec(name) });
    },
    getExecutionPosition: () => Promise.resolve({ state: opts.state ?? "PromoteTarget", enteredMs: 0 }),
  };
  const killSwitch: { region: string; value: number; atMs: number }[] = [];
  const cloudwatch = {
    putMetricData: (p: { data: { dimensions: Record<string, string>; value: number; timestampMs: number }[] }) => {
      for (const d of p.data) killSwitch.push({ region: d.dimensions.Region!, value: d.value, atMs: d.timestampMs });
      return Promise.resolve();
    },
  };
  const adapters = { region: () => ({ sfn, cloudwatch }), route53: {} } as unknown as AwsAdapters;
  return { adapters, started, stopped, known, killSwitch };
}

async function run(fake: ReturnType<typeof fakeSfn>, epoch: number, previousEpoch?: number, settle?: (known: Record<string, ExecutionDescription["status"]>, atMs: number) => void, runbook: RunbookName = "failover") {
  const clock = new ManualClock(0);
  const follower = new StepFunctionsFollower({ config, adapters: fake.adapters, clock, definitions, controlRegion: "us-east-2", pollMs: 10_000, unreachableMs: 60_000 });
  const input = runbookInput(config, { incidentId: "inc-1", epoch, from: "us-east-1", to: "us-west-2", approvalRequired: false });
  let result;
  void follower.run(runbook, input, previousEpoch === undefined ? {} : { previousEpoch }).result.then((r) => (result = r));
  for (let i = 0; i < 100 && !result; i++) {
    await clock.advance(5_000);
    settle?.(fake.known, clock.now());
  }
  return { result: result as unknown as { status: string; error?: string; cause?: string }, follower };
}

describe("StepFunctionsFollower", () => {
  it("gatePassedBefore: true when another execution of the incident went past its approval gate, or when that cannot be read; false when they stopped at it", async () => {
    const fake = fakeSfn({ "inc-1-e1": "ABORTED", "other-incident-e1": "FAILED" });
    const sfn = fake.adapters.region("us-west-2").sfn;
    const positions: Record<string, string | undefined> = { "inc-1-e1": "AwaitApproval", "other-incident-e1": "PromoteTarget" };
    let listFails = false;
    sfn.listExecutions = ({ status }) => (listFails ? Promise.reject(notFound("list")) : Promise.resolve(Object.entries(fake.known).filter(([, s]) => status === undefined || s === status).map(([name, s]) => ({ executionArn: exec(name), name, status: s }))));
    sfn.getExecutionPosition = (arn) => Promise.resolve({ state: positions[arn.split(":").at(-1)!], enteredMs: 0 });
    const clock = new ManualClock(0);
    const follower = new StepFunctionsFollower({ config, adapters: fake.adapters, clock, definitions, controlRegion: "us-east-2", pollMs: 10_000, unreachableMs: 60_000 });
    // Unknown incident: cannot be told.
    expect(await follower.gatePassedBefore("inc-1")).toBe(true);
    void follower.run("failover", runbookInput(config, { incidentId: "inc-1", epoch: 2, from: "us-east-1", to: "us-west-2", approvalRequired: true }), { previousEpoch: 1 });
    for (let i = 0; i < 10 && !fake.started.includes("inc-1-e2"); i++) await clock.advance(1_000);
    expect(fake.started).toEqual(["inc-1-e2"]);
    // The superseded execution stopped at the gate; another incident's past it does not count; the running one is this run.
    expect(await follower.gatePassedBefore("inc-1")).toBe(false);
    positions["inc-1-e1"] = "ApprovalTimedOut"; // the gate's own Fail exits
    expect(await follower.gatePassedBefore("inc-1")).toBe(false);
    positions["inc-1-e1"] = "Rejected";
    expect(await follower.gatePassedBefore("inc-1")).toBe(false);
    positions["inc-1-e1"] = "FenceBeforeDrain";
    expect(await follower.gatePassedBefore("inc-1")).toBe(true);
    // Where real AWS leaves a run that failed past the gate (its history ends in the Fail state
    // every later step's failure shares), and a history that shows no state: may have acted.
    positions["inc-1-e1"] = "Escalate";
    expect(await follower.gatePassedBefore("inc-1")).toBe(true);
    positions["inc-1-e1"] = undefined;
    expect(await follower.gatePassedBefore("inc-1")).toBe(true);
    listFails = true;
    expect(await follower.gatePassedBefore("inc-1")).toBe(true);
  });

  it("a switchover (run in the old primary's region) past EnableTarget: the controller writes the target's kill switch, and again every minute while the swap runs", async () => {
    const fake = fakeSfn({}, { runbook: "switchover", state: "WaitForSwitchover" });
    const { result } = await run(fake, 1, undefined, (k, atMs) => {
      if (atMs >= 300_000 && k["inc-1-e1"] === "RUNNING") k["inc-1-e1"] = "SUCCEEDED";
    }, "switchover");
    expect(result.status).toBe("succeeded");
    const target = fake.killSwitch.filter((w) => w.region === "us-west-2");
    expect(target.every((w) => w.value === 1)).toBe(true);
    // A 5-minute swap: the first write, then one a minute (the datapoint stays fresh), then once more at the end.
    expect(target.length).toBeGreaterThanOrEqual(5);
    const gaps = target.slice(1).map((w, i) => w.atMs - target[i]!.atMs);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(70_000);
  });

  it("names the execution after incident and epoch; a retry under the same epoch after a failed run takes the next name", async () => {
    const fake = fakeSfn({ "inc-1-e4": "FAILED" });
    const { result } = await run(fake, 4, undefined, (k) => {
      if (k["inc-1-e4-r2"] === "RUNNING") k["inc-1-e4-r2"] = "SUCCEEDED";
    });
    expect(fake.started).toEqual(["inc-1-e4-r2"]);
    expect(result.status).toBe("succeeded");
  });

  it("adopts the previous epoch's execution that already succeeded: no new execution, no promotion repeated", async () => {
    const fake = fakeSfn({ "inc-1-e1": "SUCCEEDED" });
    const { result, follower } = await run(fake, 2, 1);
    expect(result.status).toBe("succeeded");
    expect(fake.started).toEqual([]);
    expect(follower.execution()?.executionArn).toBe(exec("inc-1-e1"));
  });

  it("follows its own name when it is already running (a restarted process): no second start", async () => {
    const fake = fakeSfn({ "inc-1-e2": "RUNNING" });
    const { result } = await run(fake, 2, undefined, (k) => (k["inc-1-e2"] = "SUCCEEDED"));
    expect(fake.started).toEqual([]);
    expect(result.status).toBe("succeeded");
  });

  it("stops the previous holder's running execution before starting its own, and only executions of this incident", async () => {
    const fake = fakeSfn({ "inc-1-e1": "RUNNING", "inc-10-e1": "RUNNING" });
    await run(fake, 2, 1, (k) => {
      if (k["inc-1-e2"] === "RUNNING") k["inc-1-e2"] = "SUCCEEDED";
    });
    expect(fake.stopped).toEqual([exec("inc-1-e1")]);
    expect(fake.started).toEqual(["inc-1-e2"]);
  });

  it("an execution stopped by someone else is an escalation saying so", async () => {
    const fake = fakeSfn({});
    const { result } = await run(fake, 1, undefined, (k) => {
      if (k["inc-1-e1"] === "RUNNING") k["inc-1-e1"] = "ABORTED";
    });
    expect(result).toMatchObject({ status: "escalated", error: "Execution.Aborted", cause: expect.stringMatching(/inc-1-e1 was stopped \(Operator.Stopped: manual recovery\)/) });
  });

  it("an execution whose region stops answering is given up after unreachableMs, not stopped", async () => {
    const fake = fakeSfn({}, { unreachableAfterStart: true });
    const { result } = await run(fake, 1);
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.ExecutionUnreachable", cause: expect.stringMatching(/has not answered for 1 min .* it was not stopped/) });
    expect(fake.stopped).toEqual([]);
  });
});
