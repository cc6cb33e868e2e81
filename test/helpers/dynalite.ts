// A real DynamoDB-compatible server (dynalite) on 127.0.0.1, in-process,
// with the control table created through the real SDK client.
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createDynamoDbAdapter, type DynamoDbApi } from "../../src/aws/index.js";

export interface Dynalite {
  db: DynamoDbApi;
  client: DynamoDBClient;
  /** http://127.0.0.1:PORT */
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(tableName = "failover-control"): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    region: "us-east-2",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return {
    db: createDynamoDbAdapter(client, "us-east-2"),
    client,
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((err?: Error) => (err ? reject(err) : resolve())));
    },
  };
}
