// The daemon's HTTP surface, bound to 127.0.0.1 unless configured otherwise.
// Read-only endpoints are open; approve/reject change what a runbook does,
// so they need a bearer token from the environment, compared in constant
// time, and are disabled when no token is configured.

import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Controller } from "../controller/index.js";
import type { Logger } from "./logger.js";
import type { DaemonMetrics } from "./metrics.js";
import { STATUS_PAGE_HTML } from "./status-page.js";
import { IncidentReader, type StatusContext } from "./status-document.js";
import { statusNowMs, type StatusHistory } from "./status-history.js";
import { parseOverride, runOverride } from "./override-endpoint.js";

export interface HttpOptions {
  controllers: readonly Controller[];
  application: string;
  metrics: DaemonMetrics;
  logger: Logger;
  host: string;
  port: number;
  /** Bearer token for mutating endpoints; undefined disables them. */
  apiToken?: string;
  /** Policy figures and the RTO budget, from the config (the status page judges staleness with them). */
  context?: StatusContext;
  /** The last hour of health and lag, for /status/history. */
  history?: StatusHistory;
  /** The last readiness results, shown on /status as `readiness` when given. */
  readiness?: () => readonly { check: string; ok: boolean; detail: string; atMs: number }[];
}

const MAX_BODY_BYTES = 16 * 1024;
const digest = (s: string) => createHash("sha256").update(s).digest();

export function tokenMatches(expected: string, header: string | undefined): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? "");
  if (!m?.[1]) return false;
  // Equal-length digests: timingSafeEqual needs equal lengths, and the digest hides the token's length.
  return timingSafeEqual(digest(m[1]), digest(expected));
}

export function statusDocument(application: string, controllers: readonly Controller[], context?: StatusContext, readiness?: HttpOptions["readiness"]) {
  const statuses = controllers.map((c) => c.status());
  const clocks = statuses.map(statusNowMs).filter((t): t is number => t !== undefined);
  return {
    application,
    // The controllers' clock (virtual in the sandbox): view ages and elapsed times are measured against it, not the browser's.
    ...(clocks.length > 0 && { nowMs: Math.max(...clocks) }),
    ...(context && { policy: context.policy, budget: context.budget }),
    controllers: statuses,
    ...(readiness && { readiness: readiness() }),
  };
}

const INCIDENT_LIMIT_MAX = 50;

function send(res: ServerResponse, status: number, body: string, type = "application/json; charset=utf-8", headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers });
  res.end(body);
}
const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, `${JSON.stringify(value)}\n`);

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startHttpServer(opts: HttpOptions): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const incidents = new IncidentReader(opts.controllers);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (path === "/failover") {
      if (req.method !== "POST") return json(res, 405, { error: "use POST" });
      if (!opts.apiToken) return json(res, 403, { error: "failover is disabled: set FAILOVER_API_TOKEN for the daemon to enable it" });
      if (!tokenMatches(opts.apiToken, req.headers.authorization)) {
        opts.logger.warn({ path }, "refused a mutating request without a valid token");
        return json(res, 401, { error: "missing or wrong bearer token" });
      }
      const parsed = parseOverride(await readBody(req).catch(() => "\u0000"));
      if (typeof parsed === "string") return json(res, 400, { error: parsed });
      const answer = await runOverride(opts.controllers, parsed, opts.logger);
      return json(res, answer.status, answer.body);
    }
    const mutating = /^\/(approve|reject)\/([^/]+)$/.exec(path);
    if (mutating) {
      if (req.method !== "POST") return json(res, 405, { error: "use POST" });
      if (!opts.apiToken) return json(res, 403, { error: "approve/reject are disabled: set FAILOVER_API_TOKEN for the daemon to enable them" });
      if (!tokenMatches(opts.apiToken, req.headers.authorization)) {
        opts.logger.warn({ path }, "refused a mutating request without a valid token");
        return json(res, 401, { error: "missing or wrong bearer token" });
      }
      const [, verb, incident] = mutating as unknown as [string, "approve" | "reject", string];
      let reason = "rejected by an operator";
      try {
        const body = await readBody(req);
        const given = body ? (JSON.parse(body) as { reason?: unknown }).reason : undefined;
        if (typeof given === "string" && given !== "") reason = given;
      } catch {
        return json(res, 400, { error: 'body must be JSON like {"reason": "..."} and at most 16 KiB' });
      }
      const results = await Promise.allSettled(opts.controllers.map((c) => (verb === "approve" ? c.approve(incident) : c.reject(incident, reason))));
      if (!results.some((r) => r.status === "fulfilled")) return json(res, 404, { error: `no approval gate of incident ${incident} is waiting here` });
      opts.logger.info({ incident, verb }, "approval gate answered");
      return json(res, 200, { incident, [verb === "approve" ? "approved" : "rejected"]: true });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "read-only endpoint: use GET" });
    switch (path) {
      case "/healthz":
        return json(res, 200, { ok: true });
      case "/readyz": {
        const notReady = opts.controllers.map((c) => c.status()).filter((s) => !s.ready).map((s) => `${s.controllerId}: config loaded, store not reached yet`);
        return notReady.length === 0 ? json(res, 200, { ready: true }) : json(res, 503, { ready: false, reasons: notReady });
      }
      case "/metrics":
        return send(res, 200, await opts.metrics.registry.metrics(), opts.metrics.registry.contentType);
      case "/status":
        return json(res, 200, statusDocument(opts.application, opts.controllers, opts.context, opts.readiness));
      case "/status/history":
        return json(res, 200, { samples: opts.history?.list() ?? [] });
      case "/status/incidents": {
        const limit = Number(url.searchParams.get("limit") ?? 10);
        if (!Number.isInteger(limit) || limit < 1 || limit > INCIDENT_LIMIT_MAX) return json(res, 400, { error: `limit must be an integer from 1 to ${INCIDENT_LIMIT_MAX}` });
        try {
          return json(res, 200, { incidents: await incidents.list(limit) });
        } catch (err) {
          opts.logger.warn({ err }, "incident history unavailable");
          return json(res, 503, { error: err instanceof Error ? err.message : String(err) });
        }
      }
      case "/":
        return send(res, 200, STATUS_PAGE_HTML, "text/html; charset=utf-8", { "content-security-policy": "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'" });
      default: {
        const one = /^\/status\/incidents\/([^/]+)$/.exec(path);
        if (!one?.[1]) return json(res, 404, { error: `no such endpoint: ${path}` });
        const id = decodeURIComponent(one[1]);
        try {
          const detail = await incidents.detail(id);
          return detail ? json(res, 200, detail) : json(res, 404, { error: `no incident ${id} in the store` });
        } catch (err) {
          opts.logger.warn({ err, incident: id }, "incident detail unavailable");
          return json(res, 503, { error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger.error({ err }, "http handler failed");
      if (!res.headersSent) json(res, 500, { error: "internal error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
