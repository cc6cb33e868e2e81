// JSON logs (pino) with secrets removed in two layers:
//   1. pino `redact` paths for the fields we know, at the depths its
//      wildcards reach (a `*` matches exactly one level, `**` does not exist);
//   2. a formatter that walks every logged object to any depth, blanks
//      fields whose *name* says secret (token, password, authorization,
//      credentials...) and masks credential-*shaped* strings (AKIA/ASIA
//      access keys, a 40-char secret after its name, Bearer/Basic
//      credentials, presigned-URL signatures) in values, messages, error
//      messages and stacks.
// Layer 2 is what actually guarantees depth; layer 1 stays as a cheap
// second check on the usual places.

import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export const REDACTED = "[REDACTED]";

/** Known secret fields at the depths pino's redaction can address. */
export const REDACT_PATHS: readonly string[] = [
  ...["accessKeyId", "secretAccessKey", "sessionToken", "token", "taskToken", "apiToken", "authorization", "password", "credentials"].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  "headers.authorization", "*.headers.authorization", "req.headers.authorization", "request.headers.authorization",
  'headers["x-amz-security-token"]', '*.headers["x-amz-security-token"]', "headers.cookie", "*.headers.cookie",
];

// Field names (lower-cased, '-' and '_' removed) whose values are never logged.
const SECRET_KEY = /(token|secret|password|passwd|passphrase|authorization|credentials?|accesskeyid|secretaccesskey|cookie|apikey|privatekey|signature)$/;
const isSecretKey = (key: string) => SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ""));

const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Access key ids (long-term AKIA, temporary ASIA): 4 + 16 upper-case alphanumerics.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, "[REDACTED-ACCESS-KEY]"],
  // A 40-char secret access key after its name, in any of the spellings config files, env and JSON use.
  [/(aws_secret_access_key|secret_access_key|secretAccessKey|SecretAccessKey)(["'\s:=]+)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi, `$1$2${REDACTED}`],
  // Session tokens after their name (they are long and base64).
  [/(aws_session_token|sessionToken|SessionToken|aws_security_token)(["'\s:=]+)[A-Za-z0-9/+=]{16,}/gi, `$1$2${REDACTED}`],
  // HTTP credentials, wherever a header was pasted into a string.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  // Presigned URLs carry the session token and the signature in the query string.
  [/(X-Amz-(?:Security-Token|Signature|Credential)=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/(FAILOVER_API_TOKEN)(["'\s:=]+)[^\s"']+/g, `$1$2${REDACTED}`],
];

export interface Scrubber {
  /** Masks credential-shaped substrings (and the configured literal secrets). */
  text(value: string): string;
  /** A JSON-safe copy of `value` with secret fields blanked and every string masked. */
  value(value: unknown): unknown;
}

const MAX_DEPTH = 10;

export function createScrubber(literalSecrets: readonly string[] = []): Scrubber {
  // Short literals would mask ordinary words; the API token is required to be longer anyway.
  const literals = literalSecrets.filter((s) => s.length >= 8);
  const text = (input: string): string => {
    let out = input;
    for (const [re, to] of SECRET_PATTERNS) out = out.replace(re, to);
    for (const s of literals) out = out.split(s).join(REDACTED);
    return out;
  };
  const walk = (v: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof v === "string") return text(v);
    if (typeof v === "bigint") return v.toString();
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return "[Circular]";
    // Beyond the depth limit the value is dropped, not passed through: pino would print it unscrubbed.
    if (depth >= MAX_DEPTH) return "[Truncated]";
    seen.add(v);
    try {
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
      if (ArrayBuffer.isView(v)) return `[${v.byteLength} bytes]`;
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, seen));
      if (v instanceof Map) return walk(Object.fromEntries(v), depth, seen);
      if (v instanceof Set) return walk([...v], depth, seen);
      const out: Record<string, unknown> = {};
      if (v instanceof Error) {
        // pino's err serializer would print message and stack verbatim: both can hold a key.
        out.type = v.name;
        out.message = text(v.message);
        if (v.stack) out.stack = text(v.stack);
        if (v.cause !== undefined) out.cause = walk(v.cause, depth + 1, seen);
      }
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined || typeof x === "function") continue;
        out[k] = isSecretKey(k) ? REDACTED : walk(x, depth + 1, seen);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return { text, value: (v) => walk(v, 0, new WeakSet()) };
}

const defaultScrubber = createScrubber();

/** Masks credential-shaped substrings of `text`. */
export function scrub(text: string): string {
  return defaultScrubber.text(text);
}

export type LogDestination = "stdout" | "stderr" | DestinationStream;

export interface LoggerConfig {
  /** pino level name (the CLI's --log-level); default info. */
  level?: string;
  /** stdout by default; stderr when stdout must stay one JSON document (`--json`). */
  destination?: LogDestination;
  name?: string;
  /** Exact values that must never be printed (e.g. the API token), masked wherever they appear. */
  secrets?: readonly string[];
}

export function createLogger(opts: LoggerConfig = {}): Logger {
  const scrubber = createScrubber(opts.secrets);
  const asRecord = (v: unknown) => scrubber.value(v) as Record<string, unknown>;
  const options: LoggerOptions = {
    name: opts.name ?? "failover",
    level: opts.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { log: asRecord, bindings: asRecord },
    hooks: {
      // Messages and interpolation arguments never pass through the formatter.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        let head: unknown[];
        if (first instanceof Error) {
          // log.error(err[, msg]): pino would take the message verbatim from err.message.
          const msg = typeof rest[0] === "string" ? (rest.shift() as string) : first.message;
          head = [{ err: first }, scrubber.text(msg)];
        } else {
          head = [typeof first === "string" ? scrubber.text(first) : first];
        }
        const tail = rest.map((a) => (typeof a === "string" ? scrubber.text(a) : scrubber.value(a)));
        method.apply(this, [...head, ...tail] as Parameters<typeof method>);
      },
    },
  };
  const dest = opts.destination ?? "stdout";
  const stream = dest === "stdout" ? pino.destination({ dest: 1, sync: true }) : dest === "stderr" ? pino.destination({ dest: 2, sync: true }) : dest;
  return pino(options, stream);
}

export type { Logger };
