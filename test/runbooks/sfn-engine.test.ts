import { DescribeExecutionCommand, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsAdapters } from "../../src/aws/index.js";
import { ManualClock } from "../../src/core/index.js";
import { StepFunctionsEngine, stateMachineArn } from "../../src/runbooks/index.js";
import { runbookInput } from "./fake-aws.js";

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBClient);
const adapters = createAwsAdapters({ env: {}, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
afterAll(() => adapters.destroy());
beforeEach(() => (sfn.reset(), ddb.reset()));

const clock = new ManualClock(0);
const engine = new StepFunctionsEngine({
  adapters, clock, pollMs: 5_000,
  stateMachineArn: (region, runbook) => stateMachineArn({ accountId: "111122223333", prefix: "failover-orders" }, region, runbook),
});

async function drive<T>(p: Promise<T>): Promise<T> {
  let done: T | undefined;
  void p.then((v) => (done = v));
  for (let i = 0; i < 100 && done === undefined; i++) await clock.advance(5_000);
  return done!;
}

describe("Step Functions engine", () => {
  it("starts the execution in the target region, named after the incident, and follows it", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:exec:inc-1", startDate: new Date(0) });
    sfn.on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: "arn:exec:inc-1", stateMachineArn: "sm", status: "RUNNING", startDate: new Date(0) })
      .resolves({ executionArn: "arn:exec:inc-1", stateMachineArn: "sm", status: "SUCCEEDED", output: '{"ok":true}', startDate: new Date(0) });
    const result = await drive(engine.run("failover", runbookInput()));
    expect(result).toMatchObject({ status: "succeeded", output: { ok: true } });
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start).toMatchObject({ stateMachineArn: "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-failover", name: "inc-1" });
    expect(JSON.parse(start.input!)).toMatchObject({ epoch: 1, targetRegion: "us-west-2" });
  });

  it("maps a stuck promotion to its status", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:exec:inc-1", startDate: new Date(0) });
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: "e", stateMachineArn: "sm", status: "FAILED", error: "Runbook.PromotionStuck", cause: "c", startDate: new Date(0) });
    expect(await drive(engine.run("failover", runbookInput()))).toMatchObject({ status: "stuck", error: "Runbook.PromotionStuck" });
  });

  it("answers the approval gate with the token the runbook stored in the control table", async () => {
    ddb.on(GetItemCommand).resolves({ Item: { pk: { S: "approval#orders" }, sk: { S: "inc-1" }, taskToken: { S: "TOKEN-1" } } });
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    await engine.answer(runbookInput(), true);
    await engine.answer(runbookInput(), false, "not now");
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({ taskToken: "TOKEN-1", output: "{}" });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toMatchObject({ taskToken: "TOKEN-1", error: "Approval.Rejected", cause: "not now" });
  });
});
