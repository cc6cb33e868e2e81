// Where notifications go. Each destination either delivers a message or
// throws an error that names what failed without leaking secrets (a webhook
// URL is reported by host only). Retries belong to the notifier, not here.

import type { SnsApi } from "../aws/index.js";
import type { Region } from "../core/index.js";
import { redactUrl, webhookBody, type WebhookFormat } from "./formats.js";
import type { Notification } from "./message.js";

export interface Destination {
  /** The metrics label: `sns` or `webhook`. */
  readonly name: string;
  send(n: Notification): Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * SNS: published from the first region whose SNS answers, in config order, so
 * the message leaves even when the active region (often first) is dark.
 */
export class SnsDestination implements Destination {
  readonly name = "sns";

  constructor(private readonly topics: readonly { region: Region; topicArn: string; sns: SnsApi }[]) {
    if (topics.length === 0) throw new Error("SnsDestination needs at least one topic");
  }

  async send(n: Notification): Promise<void> {
    const failures: string[] = [];
    for (const t of this.topics) {
      try {
        await t.sns.publish({
          topicArn: t.topicArn,
          subject: n.summary,
          message: JSON.stringify(n),
          attributes: { application: n.application, kind: n.kind, reason: n.reason },
        });
        return;
      } catch (err) {
        failures.push(errorText(err));
      }
    }
    throw new Error(`no SNS topic accepted the message: ${failures.join("; ")}`);
  }
}

/** The part of fetch a webhook needs; injected so tests use a local server or a fake. */
export type FetchLike = (url: string, init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

export interface WebhookOptions {
  url: string;
  format: WebhookFormat;
  timeoutMs: number;
  /** pagerduty only: the integration's routing key (read from the environment, never from the config file). */
  routingKey?: string;
  fetch?: FetchLike;
  /**
   * Tests only: lets http://127.0.0.1 through. Configs cannot set it
   * (validate refuses any webhook that is not https).
   */
  allowLoopbackHttp?: boolean;
}

export class WebhookDestination implements Destination {
  readonly name = "webhook";
  private readonly fetch: FetchLike;
  /** What logs and errors may show. */
  readonly where: string;

  constructor(private readonly opts: WebhookOptions) {
    const u = new URL(opts.url);
    const loopback = opts.allowLoopbackHttp === true && u.protocol === "http:" && u.hostname === "127.0.0.1";
    if (u.protocol !== "https:" && !loopback) throw new Error(`webhook ${redactUrl(opts.url)}: only https URLs are allowed`);
    if (opts.format === "pagerduty" && !opts.routingKey) throw new Error("webhook format pagerduty needs a routing key (notifications.webhook.routingKeyEnv)");
    this.where = redactUrl(opts.url);
    this.fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  }

  async send(n: Notification): Promise<void> {
    const body = JSON.stringify(webhookBody(n, this.opts.format, this.opts.routingKey));
    let status: number;
    try {
      ({ status } = await this.fetch(this.opts.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "failover-notify/1" },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      }));
    } catch (err) {
      // Node's fetch puts the URL in some messages: name the host only.
      const name = err instanceof Error ? err.name : "Error";
      const why = name === "TimeoutError" || name === "AbortError" ? `no answer within ${this.opts.timeoutMs}ms` : `unreachable (${name}${hasCode(err) ? ` ${err.cause.code}` : ""})`;
      // No `cause`: fetch's errors can carry the full URL, i.e. the secret, into logs.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`webhook ${this.where}: ${why}`);
    }
    if (status < 200 || status >= 300) throw new Error(`webhook ${this.where} answered HTTP ${status}`);
  }
}

function hasCode(err: unknown): err is { cause: { code: string } } {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string";
}
