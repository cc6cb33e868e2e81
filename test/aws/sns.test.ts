// The SNS adapter: exact Publish input (subject made SNS-safe, attributes as
// String message attributes), errors named with call and region, and a
// response without MessageId refused rather than counted as delivered.
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSnsAdapter, snsSubject } from "../../src/aws/sns.js";
import { CREDENTIALS, rejectsAwsCall, serviceError } from "./fixtures.js";

const sns = mockClient(SNSClient);
const adapter = createSnsAdapter(new SNSClient({ region: "us-east-2", credentials: CREDENTIALS }), "us-east-2");
const TOPIC = "arn:aws:sns:us-east-2:111122223333:failover";

beforeEach(() => sns.reset());

describe("SNS adapter", () => {
  it("publishes with the exact input", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    await expect(adapter.publish({ topicArn: TOPIC, subject: "[orders] no-quorum — us-east-1", message: "{}", attributes: { reason: "no-quorum" } })).resolves.toEqual({ messageId: "m-1" });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: "[orders] no-quorum ? us-east-1",
      Message: "{}",
      MessageAttributes: { reason: { DataType: "String", StringValue: "no-quorum" } },
    });
  });

  it("names the call and the region on failure, and keeps retryability", async () => {
    sns.on(PublishCommand).rejects(serviceError("InternalErrorException", { fault: "server", status: 500 }));
    const err = await rejectsAwsCall(adapter.publish({ topicArn: TOPIC, subject: "s", message: "m" }));
    expect(err.message).toMatch(/^sns:Publish in us-east-2 failed/);
    expect(err.retryable).toBe(true);
  });

  it("refuses an answer without MessageId", async () => {
    sns.on(PublishCommand).resolves({});
    const err = await rejectsAwsCall(adapter.publish({ topicArn: TOPIC, subject: "s", message: "m" }));
    expect(err.code).toBe("InvalidResponse");
  });

  it("keeps subjects within SNS's limits", () => {
    expect(snsSubject("x".repeat(300))).toHaveLength(100);
    expect(snsSubject("\n")).toBe("failover");
  });
});
