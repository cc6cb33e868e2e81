// Notifications (DESIGN.md "Second wave"): fed by controller events through
// a queue, so the control cycle never waits on SNS or a webhook.
export { fromEvent, dedupKey, type Notification, type NotificationKind, type NotificationContext } from "./message.js";
export { pagerDutyBody, pagerDutyDedupKey, redactUrl, slackBody, webhookBody, type PagerDutyEvent, type WebhookFormat } from "./formats.js";
export { SnsDestination, WebhookDestination, type Destination, type FetchLike, type WebhookOptions } from "./destinations.js";
export { Notifier, type NotifierOptions, type NotifyOutcome } from "./notifier.js";
