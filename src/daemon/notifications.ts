// The daemon's notifier: the config's SNS topics (tried in order through the
// daemon's own SDK clients) and webhook, every outcome counted in
// failover_notifications_total, failures logged with the webhook URL
// redacted (it usually carries a secret).

import type { AwsAdapters } from "../aws/index.js";
import { snsTopics, type Config } from "../config/index.js";
import type { Clock, Region } from "../core/index.js";
import { Notifier, SnsDestination, WebhookDestination, type Destination, type FetchLike } from "../notify/index.js";
import type { Logger } from "./logger.js";
import type { DaemonMetrics } from "./metrics.js";

export interface DaemonNotifierOptions {
  config: Config;
  region: Region;
  adapters: AwsAdapters;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  metrics: DaemonMetrics;
  logger: Logger;
  fetch?: FetchLike;
}

/** Undefined when the config names no destination. */
export function createDaemonNotifier(o: DaemonNotifierOptions): Notifier | undefined {
  const n = o.config.notifications;
  const destinations: Destination[] = [];
  const topics = snsTopics(n, o.config);
  if (topics.length > 0) destinations.push(new SnsDestination(topics.map((t) => ({ ...t, sns: o.adapters.region(t.region).sns }))));
  if (n.webhook) {
    const routingKey = n.webhook.format === "pagerduty" ? o.env[n.webhook.routingKeyEnv] : undefined;
    destinations.push(
      new WebhookDestination({ url: n.webhook.url, format: n.webhook.format, timeoutMs: n.webhook.timeout, ...(routingKey && { routingKey }), ...(o.fetch && { fetch: o.fetch }) }),
    );
  }
  if (destinations.length === 0) return undefined;
  return new Notifier({
    application: o.config.application,
    observer: o.region,
    destinations,
    clock: o.clock,
    retries: n.retries,
    backoffMs: n.backoff,
    onOutcome: (destination, outcome, msg, error) => {
      o.metrics.notifications.inc({ destination, outcome });
      if (outcome === "failed" || outcome === "dropped") o.logger.error({ destination, kind: msg.kind, reason: msg.reason, incident: msg.incident, error }, `notification ${outcome}`);
      else if (outcome === "retried") o.logger.warn({ destination, kind: msg.kind, reason: msg.reason, error }, "notification retried");
    },
  });
}
