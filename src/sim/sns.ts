// SNS in the simulated world: Publish is answered in the caller's target
// region (outages and partitions apply before this, in middleware.ts, as for
// every regional service), and every accepted message is recorded so a
// verdict can check what a person would have been told (`expect.notified`).
// Kept beside the World rather than in it: the world's state file is owned
// by the simulator's core, this is an add-on keyed by the world instance.

import { InvalidParameterException, NotFoundException } from "@aws-sdk/client-sns";
import type { World } from "./world.js";

export interface PublishedMessage {
  atMs: number;
  /** The region whose SNS accepted it. */
  region: string;
  topicArn: string;
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

const published = new WeakMap<World, PublishedMessage[]>();
const META = { $metadata: {} };

/** Messages the world's SNS accepted, in order. */
export function publishedMessages(w: World): readonly PublishedMessage[] {
  return published.get(w) ?? [];
}

export function answerSns(w: World, region: string, command: string, input: Record<string, unknown>): unknown {
  if (command !== "PublishCommand") throw new Error(`the simulated world does not answer sns:${command}`);
  const topicArn = typeof input.TopicArn === "string" ? input.TopicArn : "";
  // A topic lives in one region: publishing to another region's topic through this endpoint fails as in AWS.
  if (topicArn.split(":")[3] !== region) throw new NotFoundException({ message: `Topic does not exist: ${topicArn} is not in ${region}`, ...META });
  const message = typeof input.Message === "string" ? input.Message : "";
  if (message === "") throw new InvalidParameterException({ message: "Invalid parameter: Empty message", ...META });
  const attrs = (input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>;
  const list = published.get(w) ?? [];
  list.push({
    atMs: w.nowMs,
    region,
    topicArn,
    subject: typeof input.Subject === "string" ? input.Subject : "",
    message,
    attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.StringValue ?? ""])),
  });
  published.set(w, list);
  w.event("sns.published", { region, kind: attrs.kind?.StringValue ?? "", reason: attrs.reason?.StringValue ?? "" });
  return { MessageId: `sim-${list.length}` };
}
