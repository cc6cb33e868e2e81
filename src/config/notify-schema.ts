// The `notifications:` and `readiness:` sections (second wave). Kept apart
// from schema.ts so the sections that tell a person what the controller sees
// can grow without touching the failover settings.

import cron from "node-cron";
import { z } from "zod";
import { duration, regionSchema } from "./schema-parts.js";

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

export const snsNotificationsSchema = z
  .strictObject({
    /** Topic name; the ARN is built for each region of `regions` (same name everywhere). */
    topic: z.string().regex(TOPIC_NAME, { message: "an SNS topic name (letters, digits, - and _, at most 256)" }).optional(),
    /** Regions to publish from, in order; default: the app regions, then the witness. */
    regions: z.array(regionSchema).min(1).optional(),
    /** Or the exact topic ARNs, one per region, tried in this order. */
    topicArns: z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { message: "an SNS topic ARN" })).min(1).optional(),
  })
  .refine((s) => (s.topic === undefined) !== (s.topicArns === undefined), { message: "exactly one of topic (a name) or topicArns (a list of ARNs)" });

export const webhookSchema = z.strictObject({
  /** An HTTPS URL. It often holds a secret (Slack, PagerDuty), so it is never logged in full. */
  url: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/, { message: "an https:// URL (a webhook URL usually carries a secret: plain http would send it in clear)" }),
  /** Body shape: json (documented in README), slack (incoming webhook), pagerduty (Events API v2). */
  format: z.enum(["json", "slack", "pagerduty"]).default("json"),
  /** One attempt is abandoned after this long (a hanging endpoint). */
  timeout: duration({ min: 100, max: 30_000 }).prefault("5s"),
  /** pagerduty: the environment variable holding the integration's routing key (never the key itself). */
  routingKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: "an environment variable name" }).default("PAGERDUTY_ROUTING_KEY"),
});

export const notificationsSchema = z
  .strictObject({
    sns: snsNotificationsSchema.optional(),
    webhook: webhookSchema.optional(),
    /** Attempts after the first for a failed send, with exponential backoff. */
    retries: z.number().int().min(0).max(10).default(4),
    /** First backoff; doubled per attempt. */
    backoff: duration({ min: 100, max: 60_000 }).prefault("2s"),
  })
  .prefault({});

export const readinessSchema = z
  .strictObject({
    /** node-cron expression (seconds field optional); default every 30 minutes. The checks also run once at start. */
    schedule: z
      .string()
      .refine((s) => cron.validate(s), { message: 'a cron expression such as "*/30 * * * *" (every 30 minutes)' })
      .default("*/30 * * * *"),
    enabled: z.boolean().default(true),
  })
  .prefault({});

export type NotificationsConfig = z.output<typeof notificationsSchema>;
export type ReadinessConfig = z.output<typeof readinessSchema>;

/** Where SNS messages go, in the order they are tried. */
export function snsTopics(
  n: NotificationsConfig,
  where: { accountId: string; regions: string[]; witness?: string | undefined },
): { region: string; topicArn: string }[] {
  const sns = n.sns;
  if (!sns) return [];
  if (sns.topicArns) return sns.topicArns.map((topicArn) => ({ region: topicArn.split(":")[3] ?? "", topicArn }));
  const regions = sns.regions ?? [...where.regions, ...(where.witness ? [where.witness] : [])];
  const partition = (r: string) => (r.startsWith("cn-") ? "aws-cn" : r.includes("-gov-") ? "aws-us-gov" : "aws");
  return [...new Set(regions)].map((r) => ({ region: r, topicArn: `arn:${partition(r)}:sns:${r}:${where.accountId}:${sns.topic ?? ""}` }));
}
