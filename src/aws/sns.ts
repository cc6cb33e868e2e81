// SNS adapter: the one call notifications make. A topic is regional, so the
// notifier holds one adapter per region and tries them in config order: a
// message must leave even when the active region (often the first) is dark.

import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { SnsApi } from "./ports.js";

/** SNS caps a message at 256 KiB and a subject at 100 printable ASCII characters. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_SUBJECT_CHARS = 100;

/** What SNS accepts as an email subject: ASCII, no control characters, at most 100 characters. */
export function snsSubject(text: string): string {
  // Line breaks and tabs become spaces (a subject is one line); other non-ASCII becomes "?".
  const ascii = text.replace(/\s+/g, " ").replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length > MAX_SUBJECT_CHARS ? `${ascii.slice(0, MAX_SUBJECT_CHARS - 3)}...` : ascii || "failover";
}

export function createSnsAdapter(client: SNSClient, region: Region): SnsApi {
  return {
    region,

    async publish({ topicArn, subject, message, attributes }) {
      const call = "sns:Publish";
      if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) throw invalidResponse(call, region, `message over ${MAX_MESSAGE_BYTES} bytes`, "InvalidParameter");
      const out = await awsCall(call, region, () =>
        client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: snsSubject(subject),
            Message: message,
            ...(attributes && {
              MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }])),
            }),
          }),
        ),
      );
      if (!out.MessageId) throw invalidResponse(call, region, "response has no MessageId: the message may not have been accepted");
      return { messageId: out.MessageId };
    },
  };
}
