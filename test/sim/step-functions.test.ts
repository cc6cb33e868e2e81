// The simulated Step Functions, driven through the real SDK clients, the
// deploy code and the Step Functions engine the controller would use. Each
// title names the reference/aws-apis.md line (or the AWS behaviour) it checks.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CoordinationStore } from "../../src/coordination/index.js";
import { runbookInput } from "../../src/controller/mapping.js";
import { StepFunctionsEngine, deployRunbooks, stateMachineArn, type RunbookName } from "../../src/runbooks/index.js";
import { attachStepFunctions } from "../../src/sim/sfn.js";
import { testWorld } from "./harness.js";

const RUNBOOKS = ["failover", "switchover", "failback"] as const;

/** Step Functions calls its own region: the control table needs a replica there (MRSC). */
const MRSC = "controller: { coordination: { consistency: strong } }\n";

async function deployed(yaml = `name: t\nduration: 2h\n${MRSC}`) {
  const t = testWorld(yaml);
  attachStepFunctions(t.world, t.clock);
  const { accountId, runbooks } = t.config;
  const { stateMachinePrefix: prefix, roleArn } = runbooks;
  if (!prefix || !roleArn) throw new Error("the simulated config names no state machines");
  const target = {
    regions: ["us-east-1", "us-west-2"], accountId, prefix, roleArn,
    definitions: Object.fromEntries(RUNBOOKS.map((n) => [n, readFileSync(`runbooks/${n}.asl.json`, "utf8")])),
  };
  const changes = await t.call(deployRunbooks(t.adapters, target));
  const arnOf = (region: string, runbook: RunbookName) => stateMachineArn(target, region, runbook);
  const engine = new StepFunctionsEngine({ adapters: t.adapters, clock: t.clock, stateMachineArn: arnOf, pollMs: 5_000 });
  // The runbooks fence every step on the lease epoch: hold it as a controller would.
  const store = new CoordinationStore(t.adapters.region(t.config.coordination.region).dynamodb, {
    tableName: t.config.coordination.table, application: t.config.application, owner: "us-east-2/test", leaseMs: 30_000, maxClockSkewMs: 5_000,
  });
  await t.call(store.lease.initialize("us-east-1"));
  const lease = await t.call(store.lease.acquire(t.clock.now()));
  const input = (incidentId: string, approvalRequired = false) =>
    runbookInput(t.config, { incidentId, epoch: lease.epoch, from: "us-east-1", to: "us-west-2", approvalRequired });
  return { t, changes, target, arnOf, engine, input };
}

describe("simulated Step Functions", () => {
  it("deploy creates each runbook's state machine once per region; a second deploy changes nothing", async () => {
    const { t, changes, target } = await deployed();
    expect(changes.map((c) => c.action)).toEqual(Array(6).fill("created"));
    const again = await t.call(deployRunbooks(t.adapters, target));
    expect(again.map((c) => c.action)).toEqual(Array(6).fill("unchanged"));
  });

  it('"Standard workflows: StartExecution is idempotent for the same name and input": a restarted follower gets the same execution, one promotion', async () => {
    const { t, arnOf, engine, input } = await deployed();
    const result = await t.call(engine.run("failover", input("inc-1")), 20 * 60_000);
    expect(result.status).toBe("succeeded");
    expect(t.world.aurora.writer).toBe("us-west-2");
    const sfn = t.adapters.region("us-west-2").sfn;
    const first = `${arnOf("us-west-2", "failover").replace(":stateMachine:", ":execution:")}:inc-1`;
    expect((await t.call(sfn.describeExecution(first))).status).toBe("SUCCEEDED");
    // "a closed one, or another input, gives ExecutionAlreadyExists": a closed execution's name is spent.
    await expect(t.call(sfn.startExecution({ stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-1", input: JSON.stringify(input("inc-1")) }))).rejects.toThrow(/ExecutionAlreadyExists/);
    await expect(t.call(sfn.startExecution({ stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-1", input: "{}" }))).rejects.toThrow(/ExecutionAlreadyExists/);
    // While it runs, the same name and input give the same execution.
    const running = { stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-run", input: JSON.stringify(input("inc-run", true)) };
    const a = await t.call(sfn.startExecution(running));
    expect((await t.call(sfn.startExecution(running))).executionArn).toBe(a.executionArn);
    await t.call(sfn.stopExecution({ executionArn: a.executionArn }));
    await t.runTo(t.clock.now() + 5 * 60_000);
    expect(t.world.timeline.filter((e) => e.event === "aurora.failover.started")).toHaveLength(1);
    // A second execution from the top (another name, as after a takeover) finds the promotion done and skips it.
    expect((await t.call(engine.run("failover", input("inc-1-again")), 20 * 60_000)).status).toBe("succeeded");
    expect(t.world.timeline.filter((e) => e.event === "aurora.failover.started")).toHaveLength(1);
    expect(t.world.aurora.writer).toBe("us-west-2");
  });

  it('"task tokens": the approval gate waits RUNNING until SendTaskSuccess, and fails with Approval.Rejected on SendTaskFailure', async () => {
    const { t, arnOf, engine, input } = await deployed();
    const sfn = t.adapters.region("us-west-2").sfn;
    const approved = engine.run("failover", input("inc-ok", true));
    await t.runTo(t.clock.now() + 60_000);
    const arn = `${arnOf("us-west-2", "failover").replace(":stateMachine:", ":execution:")}:inc-ok`;
    expect((await t.call(sfn.describeExecution(arn))).status).toBe("RUNNING");
    expect(t.world.aurora.writer).toBe("us-east-1");
    await t.call(engine.answer(input("inc-ok", true), true));
    expect((await t.call(approved, 20 * 60_000)).status).toBe("succeeded");

    const rejected = engine.run("failback", { ...input("inc-no", true), fromRegion: "us-west-2", targetRegion: "us-east-1" });
    await t.runTo(t.clock.now() + 60_000);
    await t.call(engine.answer({ ...input("inc-no", true), targetRegion: "us-east-1" }, false, "not now"));
    const r = await t.call(rejected, 20 * 60_000);
    expect(r).toMatchObject({ status: "rejected", error: "Approval.Rejected" });
    await expect(t.call(sfn.sendTaskSuccess({ taskToken: "inc-ok/1", output: "{}" }))).rejects.toThrow(/InvalidToken/);
  });

  it("StopExecution aborts a running execution; unknown executions and machines are the SDK's own exceptions", async () => {
    const { t, arnOf, input } = await deployed();
    const sfn = t.adapters.region("us-west-2").sfn;
    const { executionArn } = await t.call(sfn.startExecution({ stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-stop", input: JSON.stringify(input("inc-stop", true)) }));
    await t.runTo(t.clock.now() + 30_000);
    await t.call(sfn.stopExecution({ executionArn, error: "Operator.Stopped", cause: "drill over" }));
    expect(await t.call(sfn.describeExecution(executionArn))).toMatchObject({ status: "ABORTED", error: "Operator.Stopped", cause: "drill over" });
    await expect(t.call(sfn.describeExecution(`${executionArn}-nope`))).rejects.toThrow(/ExecutionDoesNotExist/);
    await expect(t.call(sfn.startExecution({ stateMachineArn: `${arnOf("us-west-2", "failover")}-nope`, name: "x", input: "{}" }))).rejects.toThrow(/StateMachineDoesNotExist/);
  });

  it('"SDK integrations call the state machine\'s own region": with a single-region control table in the witness, the fence from the target region fails and nothing is promoted', async () => {
    const { t, engine, input } = await deployed("name: t\nduration: 2h\n");
    const result = await t.call(engine.run("failover", input("inc-single")), 20 * 60_000);
    expect(result).toMatchObject({ status: "escalated", error: "Runbook.Escalated" });
    expect(t.world.aurora.writer).toBe("us-east-1");
    expect(t.world.timeline.filter((e) => e.event === "aurora.failover.started")).toEqual([]);
  });

  it("GetExecutionHistory: the current state is the newest state entered; the history closes with the execution", async () => {
    const { t, arnOf, input } = await deployed();
    const sfn = t.adapters.region("us-west-2").sfn;
    const { executionArn } = await t.call(sfn.startExecution({ stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-h", input: JSON.stringify(input("inc-h", true)) }));
    await t.runTo(t.clock.now() + 30_000);
    expect(await t.call(sfn.getExecutionPosition(executionArn))).toMatchObject({ state: "AwaitApproval", lastEvent: "TaskStateEntered" });
    await t.call(sfn.stopExecution({ executionArn }));
    expect(await t.call(sfn.getExecutionPosition(executionArn))).toMatchObject({ state: "AwaitApproval", lastEvent: "ExecutionAborted" });
  });

  it("an outage of the execution's region pauses it; it goes on when the region is back", async () => {
    const { t, arnOf, input } = await deployed(`name: t\nduration: 2h\n${MRSC}faults: [{ at: 10s, until: 6m, kind: region-outage, region: us-west-2, services: [controller] }]\n`);
    const sfn = t.adapters.region("us-west-2").sfn;
    const { executionArn } = await t.call(sfn.startExecution({ stateMachineArn: arnOf("us-west-2", "failover"), name: "inc-p", input: JSON.stringify(input("inc-p")) }));
    // In the first poll's Wait when the region goes (Wait states leave no history here, so the last Task is the drain of the old region, after the early enable of the target): it neither fails nor ends.
    await t.runTo(5 * 60_000);
    expect(t.world.sfn?.positionOf(executionArn)).toMatchObject({ status: "RUNNING", state: "DrainOldRegion" });
    await t.runTo(20 * 60_000);
    expect((await t.call(sfn.describeExecution(executionArn))).status).toBe("SUCCEEDED");
    expect(t.world.aurora.writer).toBe("us-west-2");
  });

  it("a region outage makes that region's Step Functions API unreachable", async () => {
    const { t, arnOf } = await deployed(`name: t\nduration: 2h\n${MRSC}faults: [{ at: 10m, kind: region-outage, region: us-west-2 }]\n`);
    await t.runTo(11 * 60_000);
    await expect(t.call(t.adapters.region("us-west-2").sfn.describeStateMachine(arnOf("us-west-2", "failover")))).rejects.toThrow(/timed out/);
    expect(await t.call(t.adapters.region("us-east-1").sfn.describeStateMachine(arnOf("us-east-1", "failover")))).toBeDefined();
  });
});
