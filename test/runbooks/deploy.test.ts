import { readFileSync } from "node:fs";
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  SFNClient,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsAdapters } from "../../src/aws/index.js";
import { deployRunbooks } from "../../src/runbooks/index.js";

const mock = mockClient(SFNClient);
const adapters = createAwsAdapters({ env: {}, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
afterAll(() => adapters.destroy());
beforeEach(() => mock.reset());

const ROLE = "arn:aws:iam::111122223333:role/failover-orders-runbooks";
const definitions = Object.fromEntries(["failover", "switchover", "failback"].map((n) => [n, readFileSync(`runbooks/${n}.asl.json`, "utf8")]));
const target = { regions: ["us-east-1", "us-west-2"], accountId: "111122223333", prefix: "failover-orders", roleArn: ROLE, definitions };

describe("failover runbooks deploy (aws-sdk-client-mock)", () => {
  it("creates every state machine in every app region when none exists", async () => {
    mock.on(DescribeStateMachineCommand).rejects(new StateMachineDoesNotExist({ message: "no", $metadata: {} }));
    mock.on(CreateStateMachineCommand).callsFake((input: { name: string }) => ({ stateMachineArn: `arn:created:${input.name}`, creationDate: new Date(0) }));
    const changes = await deployRunbooks(adapters, target);
    expect(changes.map((c) => `${c.action} ${c.region} ${c.name}`)).toEqual([
      "created us-east-1 failover-orders-failback", "created us-east-1 failover-orders-failover", "created us-east-1 failover-orders-switchover",
      "created us-west-2 failover-orders-failback", "created us-west-2 failover-orders-failover", "created us-west-2 failover-orders-switchover",
    ]);
    const created = mock.commandCalls(CreateStateMachineCommand).map((c) => c.args[0].input);
    expect(created[1]).toMatchObject({ name: "failover-orders-failover", roleArn: ROLE, type: "STANDARD", definition: definitions.failover });
  });

  it("updates a state machine whose definition changed, and leaves the rest alone", async () => {
    mock.on(DescribeStateMachineCommand).callsFake((input: { stateMachineArn: string }) => {
      const name = input.stateMachineArn.split("failover-orders-")[1]!;
      const stale = name === "failover" && input.stateMachineArn.includes("us-west-2");
      return { stateMachineArn: input.stateMachineArn, name, roleArn: ROLE, definition: stale ? '{"StartAt":"Old","States":{"Old":{"Type":"Succeed"}}}' : JSON.stringify(JSON.parse(definitions[name]!)), type: "STANDARD", creationDate: new Date(0) };
    });
    mock.on(UpdateStateMachineCommand).resolves({ updateDate: new Date(0) });
    const changes = await deployRunbooks(adapters, target);
    expect(changes.filter((c) => c.action !== "unchanged").map((c) => `${c.action} ${c.region} ${c.name}`)).toEqual(["updated us-west-2 failover-orders-failover"]);
    expect(mock.commandCalls(UpdateStateMachineCommand)[0]!.args[0].input).toMatchObject({
      stateMachineArn: "arn:aws:states:us-west-2:111122223333:stateMachine:failover-orders-failover", definition: definitions.failover, roleArn: ROLE,
    });
    expect(mock.commandCalls(CreateStateMachineCommand)).toHaveLength(0);
  });

  it("is a no-op when everything is deployed as is", async () => {
    mock.on(DescribeStateMachineCommand).callsFake((input: { stateMachineArn: string }) => {
      const name = input.stateMachineArn.split("failover-orders-")[1]!;
      return { stateMachineArn: input.stateMachineArn, name, roleArn: ROLE, definition: definitions[name], type: "STANDARD", creationDate: new Date(0) };
    });
    const changes = await deployRunbooks(adapters, target);
    expect(changes.every((c) => c.action === "unchanged")).toBe(true);
    expect(mock.commandCalls(UpdateStateMachineCommand)).toHaveLength(0);
    expect(mock.commandCalls(CreateStateMachineCommand)).toHaveLength(0);
  });
});
