// Typed errors. Bad input (ConfigError) maps to exit 2 and never prints a
// stack; AWS failures (AwsCallError) name the call and the region so an
// operator at 3 a.m. knows where to look.

export interface ConfigErrorDetail {
  /** The file the value came from (config, runbook or scenario). */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number | undefined;
  /** Field path such as `policy.rto` or `faults[2].until`; empty for the whole file. */
  path: string;
  /** What was expected, in words. */
  expected: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigErrorDetail[];

  constructor(issues: ConfigErrorDetail | readonly ConfigErrorDetail[]) {
    const list = Array.isArray(issues) ? issues : [issues as ConfigErrorDetail];
    super(list.map(formatConfigIssue).join("\n"));
    this.name = "ConfigError";
    this.issues = list;
  }

  get file(): string {
    return this.issues[0]?.file ?? "";
  }
  get path(): string {
    return this.issues[0]?.path ?? "";
  }
  get line(): number | undefined {
    return this.issues[0]?.line;
  }
  get expected(): string {
    return this.issues[0]?.expected ?? "";
  }
}

export function formatConfigIssue(i: ConfigErrorDetail): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}` : i.file;
  const field = i.path === "" ? "" : ` ${i.path}:`;
  return `${where}:${field} expected ${i.expected}`;
}

export interface AwsCallErrorInit {
  /** Service and operation, e.g. `rds:FailoverGlobalCluster`. */
  call: string;
  region: string;
  retryable: boolean;
  cause: unknown;
  /** The service's error code, e.g. `ThrottlingException`, when there is one. */
  code?: string | undefined;
}

export class AwsCallError extends Error {
  readonly call: string;
  readonly region: string;
  readonly retryable: boolean;
  readonly code: string | undefined;

  constructor(init: AwsCallErrorInit) {
    const reason = init.cause instanceof Error ? init.cause.message : String(init.cause);
    const code = init.code ? `${init.code}: ` : "";
    super(`${init.call} in ${init.region} failed: ${code}${reason}`, { cause: init.cause });
    this.name = "AwsCallError";
    this.call = init.call;
    this.region = init.region;
    this.retryable = init.retryable;
    this.code = init.code;
  }
}

/** A failure of the controller's own invariants (never bad input, never AWS). */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantError";
  }
}
