import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  ThrottlingException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createDynamoDbAdapter } from "../../src/aws/dynamodb.js";
import { CREDENTIALS, rejectsAwsCall } from "./fixtures.js";

const mock = mockClient(DynamoDBClient);
const adapter = createDynamoDbAdapter(new DynamoDBClient({ region: "us-east-2", credentials: CREDENTIALS }), "us-east-2");
const TABLE = "failover-control";
const KEY = { pk: { S: "control" } };

beforeEach(() => mock.reset());

describe("DynamoDB adapter", () => {
  it("describes a global table's replicas and consistency", async () => {
    mock.on(DescribeTableCommand).resolves({
      Table: {
        TableName: "orders-sessions",
        TableStatus: "ACTIVE",
        MultiRegionConsistency: "STRONG",
        Replicas: [{ RegionName: "us-east-1", ReplicaStatus: "ACTIVE" }, { RegionName: "us-west-2" }, { ReplicaStatus: "ACTIVE" }],
      },
    });
    await expect(adapter.describeTable("orders-sessions")).resolves.toEqual({
      name: "orders-sessions",
      status: "ACTIVE",
      replicas: [
        { region: "us-east-1", status: "ACTIVE" },
        { region: "us-west-2", status: "unknown" },
      ],
      consistency: "STRONG",
    });
    expect(mock.commandCalls(DescribeTableCommand)[0]!.args[0].input).toStrictEqual({ TableName: "orders-sessions" });
  });

  it("treats a table without consistency as EVENTUAL and an empty answer as not found", async () => {
    mock.on(DescribeTableCommand).resolvesOnce({ Table: {} }).resolvesOnce({});
    await expect(adapter.describeTable("t1")).resolves.toEqual({ name: "t1", status: "unknown", replicas: [], consistency: "EVENTUAL" });
    expect(await rejectsAwsCall(adapter.describeTable("t1"))).toMatchObject({
      call: "dynamodb:DescribeTable",
      code: "ResourceNotFoundException",
      retryable: false,
    });
  });

  it("reads an item strongly, and returns undefined when absent", async () => {
    mock.on(GetItemCommand).resolvesOnce({ Item: { ...KEY, epoch: { N: "7" } } }).resolvesOnce({});
    await expect(adapter.getItem({ tableName: TABLE, key: KEY, consistentRead: true })).resolves.toEqual({ ...KEY, epoch: { N: "7" } });
    await expect(adapter.getItem({ tableName: TABLE, key: KEY, consistentRead: true })).resolves.toBeUndefined();
    expect(mock.commandCalls(GetItemCommand)[0]!.args[0].input).toStrictEqual({ TableName: TABLE, Key: KEY, ConsistentRead: true });
  });

  it("puts an item with and without a condition (no undefined keys sent)", async () => {
    mock.on(PutItemCommand).resolves({});
    await adapter.putItem({ tableName: TABLE, item: KEY });
    await adapter.putItem({
      tableName: TABLE,
      item: KEY,
      conditionExpression: "#e <= :e",
      names: { "#e": "epoch" },
      values: { ":e": { N: "3" } },
    });
    expect(mock.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toStrictEqual([
      { TableName: TABLE, Item: KEY },
      { TableName: TABLE, Item: KEY, ConditionExpression: "#e <= :e", ExpressionAttributeNames: { "#e": "epoch" }, ExpressionAttributeValues: { ":e": { N: "3" } } },
    ]);
  });

  it("updates with ReturnValues ALL_NEW; a lost condition is non-retryable with its code", async () => {
    const input = {
      tableName: TABLE,
      key: KEY,
      updateExpression: "SET #o = :me ADD epoch :one",
      conditionExpression: "attribute_not_exists(pk) OR #o = :me",
      names: { "#o": "owner" },
      values: { ":me": { S: "us-west-2" }, ":one": { N: "1" } },
    };
    mock.on(UpdateItemCommand).resolvesOnce({ Attributes: { ...KEY, epoch: { N: "8" } } });
    await expect(adapter.updateItem(input)).resolves.toEqual({ ...KEY, epoch: { N: "8" } });
    expect(mock.commandCalls(UpdateItemCommand)[0]!.args[0].input).toStrictEqual({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression: "SET #o = :me ADD epoch :one",
      ConditionExpression: "attribute_not_exists(pk) OR #o = :me",
      ExpressionAttributeNames: { "#o": "owner" },
      ExpressionAttributeValues: { ":me": { S: "us-west-2" }, ":one": { N: "1" } },
      ReturnValues: "ALL_NEW",
    });

    // (aws-sdk-client-mock's *Once behaviours count calls per stub: later
    // behaviours use the non-Once forms.)
    mock.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: { httpStatusCode: 400 } }));
    const lost = await rejectsAwsCall(adapter.updateItem(input));
    expect(lost).toMatchObject({ call: "dynamodb:UpdateItem", region: "us-east-2", retryable: false, code: "ConditionalCheckFailedException" });

    mock.on(UpdateItemCommand).resolves({});
    expect((await rejectsAwsCall(adapter.updateItem(input))).message).toMatch(/no Attributes/);

    // A mock or middleware that answers nothing at all: an error, never a TypeError.
    mock.reset();
    expect(await rejectsAwsCall(adapter.updateItem(input))).toMatchObject({ code: "InvalidResponse", retryable: false });
  });

  it("queries across pages and honours the limit over the whole result", async () => {
    const item = (n: number) => ({ pk: { S: "journal" }, sk: { N: String(n) } });
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1), item(2)], LastEvaluatedKey: item(2) })
      .resolvesOnce({ Items: [item(3)], LastEvaluatedKey: item(3) })
      .resolvesOnce({ Items: [item(4), item(5)] });
    const items = await adapter.query({
      tableName: TABLE,
      keyConditionExpression: "pk = :pk",
      values: { ":pk": { S: "journal" } },
      consistentRead: true,
      limit: 4,
      scanForward: false,
    });
    expect(items).toEqual([item(1), item(2), item(3), item(4)]);
    const base = { TableName: TABLE, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "journal" } }, ConsistentRead: true, ScanIndexForward: false };
    expect(mock.commandCalls(QueryCommand).map((c) => c.args[0].input)).toStrictEqual([
      { ...base, Limit: 4 },
      { ...base, Limit: 2, ExclusiveStartKey: item(2) },
      { ...base, Limit: 1, ExclusiveStartKey: item(3) },
    ]);
  });

  it("returns [] for an empty answer, refuses an answer without Items and a repeating LastEvaluatedKey", async () => {
    const q = { tableName: TABLE, keyConditionExpression: "pk = :pk", values: { ":pk": { S: "x" } }, consistentRead: true };
    mock.on(QueryCommand).resolvesOnce({ Items: [], Count: 0 });
    await expect(adapter.query(q)).resolves.toEqual([]);
    mock.on(QueryCommand).resolvesOnce({});
    expect((await rejectsAwsCall(adapter.query(q))).message).toMatch(/dynamodb:Query in us-east-2 failed: InvalidResponse/);
    mock.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: KEY });
    expect((await rejectsAwsCall(adapter.query(q))).message).toMatch(/repeats LastEvaluatedKey/);
  });

  it("marks throttling and server errors retryable", async () => {
    const meta = { $metadata: { httpStatusCode: 400 } };
    mock
      .on(GetItemCommand)
      .rejectsOnce(new ThrottlingException({ message: "slow down", ...meta }))
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: "too fast", ...meta }))
      .rejectsOnce(new InternalServerError({ message: "boom", $metadata: { httpStatusCode: 500 } }));
    const get = () => adapter.getItem({ tableName: TABLE, key: KEY, consistentRead: true });
    const throttled = await rejectsAwsCall(get());
    expect(throttled).toMatchObject({ call: "dynamodb:GetItem", region: "us-east-2", retryable: true, code: "ThrottlingException" });
    expect(throttled.message).toContain("dynamodb:GetItem in us-east-2");
    expect(await rejectsAwsCall(get())).toMatchObject({ retryable: true, code: "ProvisionedThroughputExceededException" });
    expect(await rejectsAwsCall(get())).toMatchObject({ retryable: true, code: "InternalServerError" });
  });
});
