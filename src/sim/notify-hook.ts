// Notifications in game days: each simulated controller process gets the
// production Notifier, publishing through its own SDK clients to the
// world's SNS (so a dark region's SNS, or a partition, is skipped exactly as
// in AWS), and the verdict checks `expect.notified` against what the world's
// SNS accepted.

import type { AwsAdapters } from "../aws/index.js";
import { snsTopics, type Config } from "../config/index.js";
import type { Clock, Region } from "../core/index.js";
import { Notifier, SnsDestination } from "../notify/index.js";
import type { Scenario } from "./scenario.js";
import { publishedMessages } from "./sns.js";
import type { World } from "./world.js";

/** The event sink feeding a controller's notifier; a no-op when the config names no SNS topic. */
export function simNotifier(config: Config, region: Region, adapters: AwsAdapters, clock: Clock): (event: string, detail: Record<string, unknown>) => void {
  const topics = snsTopics(config.notifications, config);
  if (topics.length === 0) return () => undefined;
  const notifier = new Notifier({
    application: config.application,
    observer: region,
    destinations: [new SnsDestination(topics.map((t) => ({ ...t, sns: adapters.region(t.region).sns })))],
    clock,
    retries: config.notifications.retries,
    backoffMs: config.notifications.backoff,
  });
  return notifier.onEvent;
}

/** Escalation reasons the world's SNS accepted, in order of first publication. */
export function notifiedReasons(world: World): string[] {
  const reasons = publishedMessages(world).filter((m) => m.attributes.kind === "escalation").map((m) => m.attributes.reason ?? "");
  return [...new Set(reasons)];
}

/** Violations of `expect.notified`. */
export function judgeNotified(scenario: Scenario, world: World): string[] {
  const want = scenario.expect.notified;
  if (!want) return [];
  const got = notifiedReasons(world);
  return want.filter((r) => !got.includes(r)).map((r) => `${r} was never notified (notified: ${got.join(", ") || "nothing"})`);
}
