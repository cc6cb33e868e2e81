// JSON logs (pino) with secrets removed twice over: known fields are
// redacted by path, and credential-shaped strings are masked wherever they
// appear (a message, an error text, a nested field pino's paths miss).

import { pino, type DestinationStream, type Logger } from "pino";

const REDACT_PATHS = [
  "accessKeyId", "secretAccessKey", "sessionToken", "token", "taskToken", "authorization", "password", "credentials",
  "*.accessKeyId", "*.secretAccessKey", "*.sessionToken", "*.token", "*.taskToken", "*.authorization", "*.password", "*.credentials",
  "*.*.accessKeyId", "*.*.secretAccessKey", "*.*.sessionToken", "*.*.token", "*.*.authorization",
  "headers.authorization", "req.headers.authorization", "*.headers.authorization",
];

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, "[REDACTED-ACCESS-KEY]"],
  [/(aws_secret_access_key|secretAccessKey|SecretAccessKey)(["'\s:=]+)[A-Za-z0-9/+=]{40}/g, "$1$2[REDACTED]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [REDACTED]"],
  [/(FAILOVER_API_TOKEN)(["'\s:=]+)\S+/g, "$1$2[REDACTED]"],
];

/** Masks credential-shaped substrings. */
export function scrub(text: string): string {
  return SECRET_PATTERNS.reduce((t, [re, to]) => t.replace(re, to), text);
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: scrub(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

export function createLogger(opts: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      name: opts.name ?? "failover",
      level: opts.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      formatters: { log: (obj) => scrubDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    opts.destination ?? pino.destination(1),
  );
}

export type { Logger };
