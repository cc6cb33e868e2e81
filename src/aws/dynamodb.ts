// DynamoDB adapter: table descriptions for the replication probe, and the
// item calls the coordination store (lease, fencing epoch, health views,
// journal) is built on. A failed condition is not an outage: it surfaces as
// AwsCallError with code ConditionalCheckFailedException, retryable: false,
// so the lease code can tell "someone else holds it" from "try again".

import {
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { DynamoDbApi, Item, TableDescription } from "./ports.js";

const MAX_PAGES = 1_000;

export function createDynamoDbAdapter(client: DynamoDBClient, region: Region): DynamoDbApi {
  return {
    region,

    async describeTable(tableName) {
      const call = "dynamodb:DescribeTable";
      const out = await awsCall(call, region, () => client.send(new DescribeTableCommand({ TableName: tableName })));
      const table = out.Table;
      if (!table) throw invalidResponse(call, region, `table ${tableName} is not in the response`, "ResourceNotFoundException");
      const replicas: TableDescription["replicas"] = [];
      for (const r of table.Replicas ?? []) {
        if (r.RegionName) replicas.push({ region: r.RegionName, status: r.ReplicaStatus ?? "unknown" });
      }
      return {
        name: table.TableName ?? tableName,
        status: table.TableStatus ?? "unknown",
        replicas,
        // Absent for single-region and legacy tables. Only an explicit STRONG
        // may be trusted to arbitrate between regions, so absent is EVENTUAL.
        consistency: table.MultiRegionConsistency === "STRONG" ? "STRONG" : "EVENTUAL",
      };
    },

    async getItem({ tableName, key, consistentRead }) {
      const call = "dynamodb:GetItem";
      const out = await awsCall(call, region, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: consistentRead })),
      );
      // No Item is "not found", a real answer; an Item that is not a map of
      // attribute values is garbage and must not be read as a control record.
      if (out.Item !== undefined && !isItem(out.Item)) throw invalidResponse(call, region, "Item is not a map of attribute values");
      return out.Item;
    },

    async putItem({ tableName, item, conditionExpression, names, values }) {
      await awsCall("dynamodb:PutItem", region, () =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: item,
            ...(conditionExpression !== undefined && { ConditionExpression: conditionExpression }),
            ...(names !== undefined && { ExpressionAttributeNames: names }),
            ...(values !== undefined && { ExpressionAttributeValues: values }),
          }),
        ),
      );
    },

    async updateItem({ tableName, key, updateExpression, conditionExpression, names, values }) {
      const call = "dynamodb:UpdateItem";
      const out = await awsCall(call, region, () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: updateExpression,
            ...(conditionExpression !== undefined && { ConditionExpression: conditionExpression }),
            ...(names !== undefined && { ExpressionAttributeNames: names }),
            ...(values !== undefined && { ExpressionAttributeValues: values }),
            ReturnValues: "ALL_NEW",
          }),
        ),
      );
      // The lease acts on the returned epoch: without it the write cannot be
      // confirmed, so an empty answer is an error, not an empty item.
      if (!out.Attributes) throw invalidResponse(call, region, "ReturnValues ALL_NEW returned no Attributes");
      return out.Attributes;
    },

    async query({ tableName, keyConditionExpression, names, values, consistentRead, limit, scanForward }) {
      const call = "dynamodb:Query";
      const items: Item[] = [];
      let startKey: Item | undefined;
      const seen = new Set<string>();
      for (let page = 0; page < MAX_PAGES; page++) {
        const remaining = limit === undefined ? undefined : limit - items.length;
        const out = await awsCall(call, region, () =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: keyConditionExpression,
              ...(names !== undefined && { ExpressionAttributeNames: names }),
              ExpressionAttributeValues: values,
              ConsistentRead: consistentRead,
              ...(remaining !== undefined && { Limit: remaining }),
              ...(scanForward !== undefined && { ScanIndexForward: scanForward }),
              ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
            }),
          ),
        );
        // Query always returns Items (this adapter never asks for COUNT only).
        if (!Array.isArray(out.Items) || !out.Items.every(isItem)) throw invalidResponse(call, region, "Items is missing or not a list of attribute-value maps");
        items.push(...out.Items);
        if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
        if (!out.LastEvaluatedKey) return items;
        const token = JSON.stringify(out.LastEvaluatedKey);
        if (seen.has(token)) throw invalidResponse(call, region, "pagination repeats LastEvaluatedKey");
        seen.add(token);
        startKey = out.LastEvaluatedKey;
      }
      throw invalidResponse(call, region, `more than ${MAX_PAGES} pages of items`);
    },
  };
}

function isItem(x: unknown): x is Item {
  return typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((v) => typeof v === "object" && v !== null);
}
