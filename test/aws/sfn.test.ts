import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSfnAdapter } from "../../src/aws/sfn.js";
import { CREDENTIALS, rejectsAwsCall, serviceError } from "./fixtures.js";

const mock = mockClient(SFNClient);
const adapter = createSfnAdapter(new SFNClient({ region: "us-west-2", credentials: CREDENTIALS }), "us-west-2");
const SM = "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-failover";
const EXEC = "arn:aws:states:us-west-2:111122223333:execution:failover-orders-failover:inc-1";
const ROLE = "arn:aws:iam::111122223333:role/failover-orders-runbooks";

beforeEach(() => mock.reset());

const inputOf = (cmd: Parameters<typeof mock.commandCalls>[0]): unknown => mock.commandCalls(cmd)[0]!.args[0].input as unknown;

describe("Step Functions adapter", () => {
  it("starts an execution named after the incident", async () => {
    mock.on(StartExecutionCommand).resolves({ executionArn: EXEC, startDate: new Date(0) });
    await expect(adapter.startExecution({ stateMachineArn: SM, name: "inc-1", input: "{}" })).resolves.toEqual({ executionArn: EXEC });
    expect(inputOf(StartExecutionCommand)).toStrictEqual({ stateMachineArn: SM, name: "inc-1", input: "{}" });
  });

  it("describes an execution; an unknown status is an error, not a guess", async () => {
    mock
      .on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: EXEC, stateMachineArn: SM, status: "FAILED", error: "Rds.InvalidGlobalClusterStateFault", cause: "c", startDate: new Date(1_000), stopDate: new Date(2_000) })
      .resolvesOnce({ status: "EXPLODED" as never, stateMachineArn: SM, executionArn: EXEC, startDate: new Date(0) })
      .resolvesOnce({});
    await expect(adapter.describeExecution(EXEC)).resolves.toEqual({
      executionArn: EXEC,
      status: "FAILED",
      error: "Rds.InvalidGlobalClusterStateFault",
      cause: "c",
      startMs: 1_000,
      stopMs: 2_000,
    });
    expect(inputOf(DescribeExecutionCommand)).toStrictEqual({ executionArn: EXEC });
    expect(await rejectsAwsCall(adapter.describeExecution(EXEC))).toMatchObject({ call: "states:DescribeExecution", code: "InvalidResponse" });
    expect((await rejectsAwsCall(adapter.describeExecution(EXEC))).message).toMatch(/status is missing/);
  });

  it("reads where an execution is from the newest page of its history; garbage is an InvalidResponse, not a guess", async () => {
    const t = (s: number) => new Date(s * 1_000);
    mock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({
        events: [
          { id: 9, type: "TaskScheduled", timestamp: t(12) },
          { id: 8, type: "TaskStateEntered", timestamp: t(11), stateEnteredEventDetails: { name: "PromoteTarget" } },
          { id: 7, type: "TaskStateExited", timestamp: t(10), stateExitedEventDetails: { name: "FenceBeforePromote" } },
          { id: 6, type: "TaskStateEntered", timestamp: t(9), stateEnteredEventDetails: { name: "FenceBeforePromote" } },
        ],
      })
      .resolvesOnce({ events: [] })
      .resolvesOnce({})
      .resolvesOnce({ events: [{ id: 3, type: "ChoiceStateEntered", timestamp: t(1), stateEnteredEventDetails: {} as never }] });
    await expect(adapter.getExecutionPosition(EXEC)).resolves.toEqual({ state: "PromoteTarget", enteredMs: 11_000, lastEvent: "TaskScheduled" });
    expect(inputOf(GetExecutionHistoryCommand)).toStrictEqual({ executionArn: EXEC, reverseOrder: true, maxResults: 25, includeExecutionData: false });
    await expect(adapter.getExecutionPosition(EXEC)).resolves.toEqual({});
    expect(await rejectsAwsCall(adapter.getExecutionPosition(EXEC))).toMatchObject({ call: "states:GetExecutionHistory", code: "InvalidResponse" });
    expect((await rejectsAwsCall(adapter.getExecutionPosition(EXEC))).message).toMatch(/names no state/);
  });

  it("lists a state machine's executions by status; an entry without a known status is an InvalidResponse", async () => {
    mock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ executionArn: EXEC, stateMachineArn: SM, name: "inc-1-e1", status: "RUNNING", startDate: new Date(0) }] })
      .resolvesOnce({ executions: [{ executionArn: EXEC, stateMachineArn: SM, name: "inc-1-e1", status: "WEIRD" as never, startDate: new Date(0) }] });
    await expect(adapter.listExecutions({ stateMachineArn: SM, status: "RUNNING" })).resolves.toEqual([{ executionArn: EXEC, name: "inc-1-e1", status: "RUNNING" }]);
    expect(inputOf(ListExecutionsCommand)).toStrictEqual({ stateMachineArn: SM, statusFilter: "RUNNING", maxResults: 100 });
    expect((await rejectsAwsCall(adapter.listExecutions({ stateMachineArn: SM, status: "RUNNING" }))).message).toMatch(/executions\[0\] lacks/);
  });

  it("lists every page when asked for them all (maxPages), and refuses to answer with part of them past that bound", async () => {
    const page = (name: string, nextToken?: string) => ({ executions: [{ executionArn: `${EXEC}-${name}`, stateMachineArn: SM, name, status: "SUCCEEDED" as const, startDate: new Date(0) }], ...(nextToken && { nextToken }) });
    mock.on(ListExecutionsCommand).resolvesOnce(page("a", "t1")).resolvesOnce(page("b", "t2")).resolvesOnce(page("c"));
    const all = await adapter.listExecutions({ stateMachineArn: SM, maxPages: 3 });
    expect(all.map((e) => e.name)).toEqual(["a", "b", "c"]);
    expect(mock.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, "t1", "t2"]);
    mock.reset();
    mock.on(ListExecutionsCommand).resolvesOnce(page("a", "t1")).resolvesOnce(page("b", "t2"));
    expect(await rejectsAwsCall(adapter.listExecutions({ stateMachineArn: SM, maxPages: 2 }))).toMatchObject({ call: "states:ListExecutions", code: "TooManyExecutions" });
    // Without maxPages: the newest page alone, as before.
    mock.reset();
    mock.on(ListExecutionsCommand).resolvesOnce(page("a", "t1"));
    expect((await adapter.listExecutions({ stateMachineArn: SM })).map((e) => e.name)).toEqual(["a"]);
    expect(mock.commandCalls(ListExecutionsCommand)).toHaveLength(1);
  });

  it("stops executions and answers task tokens with exact inputs", async () => {
    mock.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    mock.on(SendTaskSuccessCommand).resolves({});
    mock.on(SendTaskFailureCommand).resolves({});
    await adapter.stopExecution({ executionArn: EXEC, error: "Failover.Aborted", cause: "operator" });
    await adapter.sendTaskSuccess({ taskToken: "tok", output: '{"approved":true}' });
    await adapter.sendTaskFailure({ taskToken: "tok", error: "Failover.Rejected" });
    expect(inputOf(StopExecutionCommand)).toStrictEqual({ executionArn: EXEC, error: "Failover.Aborted", cause: "operator" });
    expect(inputOf(SendTaskSuccessCommand)).toStrictEqual({ taskToken: "tok", output: '{"approved":true}' });
    expect(inputOf(SendTaskFailureCommand)).toStrictEqual({ taskToken: "tok", error: "Failover.Rejected" });
  });

  it("describes a state machine, undefined when it does not exist", async () => {
    mock
      .on(DescribeStateMachineCommand)
      .resolvesOnce({ stateMachineArn: SM, name: "n", definition: "{}", roleArn: ROLE, type: "STANDARD", creationDate: new Date(0) })
      .rejectsOnce(new StateMachineDoesNotExist({ message: "nope", $metadata: {} }))
      .rejectsOnce(serviceError("AccessDeniedException", { fault: "client", status: 400 }));
    await expect(adapter.describeStateMachine(SM)).resolves.toEqual({ arn: SM, definition: "{}", roleArn: ROLE });
    await expect(adapter.describeStateMachine(SM)).resolves.toBeUndefined();
    expect(await rejectsAwsCall(adapter.describeStateMachine(SM))).toMatchObject({
      call: "states:DescribeStateMachine",
      region: "us-west-2",
      retryable: false,
      code: "AccessDeniedException",
    });
  });

  it("deploys Standard state machines", async () => {
    mock.on(CreateStateMachineCommand).resolvesOnce({ stateMachineArn: SM, creationDate: new Date(0) }).resolvesOnce({ creationDate: new Date(0) });
    mock.on(UpdateStateMachineCommand).resolves({ updateDate: new Date(0) });
    await expect(adapter.createStateMachine({ name: "failover-orders-failover", definition: "{}", roleArn: ROLE })).resolves.toEqual({ arn: SM });
    await adapter.updateStateMachine({ arn: SM, definition: "{}", roleArn: ROLE });
    expect(inputOf(CreateStateMachineCommand)).toStrictEqual({ name: "failover-orders-failover", definition: "{}", roleArn: ROLE, type: "STANDARD" });
    expect(inputOf(UpdateStateMachineCommand)).toStrictEqual({ stateMachineArn: SM, definition: "{}", roleArn: ROLE });
    expect(await rejectsAwsCall(adapter.createStateMachine({ name: "x", definition: "{}", roleArn: ROLE }))).toMatchObject({ code: "InvalidResponse" });
  });
});
