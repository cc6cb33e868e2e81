// With runbooks.engine step-functions the approval gate and the execution
// live in AWS, not in a daemon: `failover approve|reject` answers the task
// token directly when no daemon answers, and `failover stop` stops the
// incident's execution on purpose and records it in the incident.
import { readFileSync } from "node:fs";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ListExecutionsCommand, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { cli, tempFile } from "../helpers/cli.js";

const SFN_CONFIG = readFileSync("config/sandbox.yaml", "utf8").replace("engine: local", "engine: step-functions").replace("consistency: single-region", "consistency: strong");
const ddb = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const ENV = { AWS_ACCESS_KEY_ID: "AKIDTEST", AWS_SECRET_ACCESS_KEY: "test" };
const EXEC = "arn:aws:states:us-west-2:111122223333:execution:failover-orders-failover:inc-1-e3";

beforeEach(() => {
  ddb.reset();
  sfn.reset();
});

describe("engine step-functions: approvals and stops without a daemon", () => {
  it("approve with no daemon answering reads the task token and sends SendTaskSuccess in the execution's region", async () => {
    ddb.on(GetItemCommand).resolves({ Item: marshall({ pk: "approval#orders", sk: "inc-1", taskToken: "tok-1", targetRegion: "us-west-2" }) });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const r = await cli(["approve", "inc-1", "--config", tempFile(SFN_CONFIG), "--url", "http://127.0.0.1:9"], { ...ENV, FAILOVER_API_TOKEN: "t" });
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^incident inc-1: approved directly with Step Functions in us-west-2 \(the daemon at http:\/\/127.0.0.1:9 did not answer/);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toMatchObject({ taskToken: "tok-1" });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toMatchObject({ TableName: "failover-control", Key: marshall({ pk: "approval#orders", sk: "inc-1" }), ConsistentRead: true });
  });

  it("reject sends SendTaskFailure with Approval.Rejected and the reason; no gate waiting is exit 1; the local engine still needs its daemon", async () => {
    ddb.on(GetItemCommand).resolvesOnce({ Item: marshall({ pk: "approval#orders", sk: "inc-1", taskToken: "tok-1", targetRegion: "us-west-2" }) }).resolvesOnce({});
    sfn.on(SendTaskFailureCommand).resolves({});
    const file = tempFile(SFN_CONFIG);
    expect((await cli(["reject", "inc-1", "--config", file, "--reason", "not now"], ENV)).code).toBe(0);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toEqual({ taskToken: "tok-1", error: "Approval.Rejected", cause: "not now" });
    const none = await cli(["approve", "inc-2", "--config", file], ENV);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no approval gate waits/);
    expect((await cli(["approve", "inc-1", "--config", "config/sandbox.yaml"], ENV)).code).toBe(2);
  });

  it("stop stops the incident's running executions with Operator.Stopped and records it in the incident", async () => {
    const incident = { id: "inc-1", openedAtMs: 0, from: "us-east-1", to: "us-west-2", runbook: "failover", state: "acting", epoch: 3, timeline: [] };
    ddb.on(GetItemCommand).resolves({ Item: marshall({ pk: "incident#orders", sk: "inc-1", incident: JSON.stringify(incident) }) });
    ddb.on(PutItemCommand).resolves({});
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, stateMachineArn: "sm", name: "inc-1-e3", status: "RUNNING", startDate: new Date(0) },
        { executionArn: `${EXEC}x`, stateMachineArn: "sm", name: "inc-10-e1", status: "RUNNING", startDate: new Date(0) },
      ],
    });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(0) });
    const r = await cli(["stop", "inc-1", "--config", tempFile(SFN_CONFIG), "--yes", "--reason", "manual recovery"], ENV);
    expect(r).toMatchObject({ code: 0, stdout: `incident inc-1: stopped ${EXEC}\n` });
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({ stateMachineArn: "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-failover", statusFilter: "RUNNING" });
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input)).toEqual([{ executionArn: EXEC, error: "Operator.Stopped", cause: "manual recovery" }]);
    const saved = JSON.parse(String(unmarshall(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!).incident)) as { timeline: { event: string; detail: unknown }[] };
    expect(saved.timeline).toEqual([{ atMs: expect.any(Number), event: "runbook.execution.stopped", detail: { by: "operator", reason: "manual recovery", executionArns: [EXEC] } }]);
  });
});
