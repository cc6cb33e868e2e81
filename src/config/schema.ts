// The whole configuration as a zod schema: the single source of truth for
// field names, defaults and per-field rules. Durations are written as
// strings ("30s", "15m") in YAML and become milliseconds after parsing.
// Cross-field rules (regions vs ARNs, witness, consistency) live in checks.ts
// so each error can name the exact path it is about.

import { z } from "zod";
import { parseDurationMs } from "../core/index.js";
import { notificationsSchema, readinessSchema } from "./notify-schema.js";
import { duration, regionSchema } from "./schema-parts.js";

export { duration, regionSchema } from "./schema-parts.js";

const FIFTEEN_MINUTES_MS = 15 * 60_000;
const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), { message: `an ${service} ARN` });

export const policySchema = z.strictObject({
  /** Recovery time objective: failure to recovery, worst case. */
  rto: duration({ min: 1, max: FIFTEEN_MINUTES_MS }).prefault("15m"),
  /** Recovery point objective: the largest data-loss window accepted without a human. */
  rpo: duration({ min: 0, max: FIFTEEN_MINUTES_MS }).prefault("15m"),
  /** automatic: act on quorum; manual: decide, then wait for an operator's approval. */
  mode: z.enum(["automatic", "manual"]).default("automatic"),
  /** No second failover within this long after one completes (flapping guard). */
  cooldown: duration({ min: 0 }).prefault("30m"),
  /** Observer regions that must agree the active region is DOWN. */
  quorum: z.number().int().min(1).default(2),
  /** Over the RPO: escalate for approval (safe default), or fail over anyway accepting the loss. */
  onRpoBreach: z.enum(["escalate", "accept-data-loss"]).default("escalate"),
  /** The RTO budget must leave at least this much slack. */
  margin: duration({ min: 0 }).prefault("1m"),
  /** Time the controller itself needs to decide and win the lease (one or two cycles). */
  decisionTime: duration({ min: 0 }).prefault("20s"),
  /** Failback to the preferred region once healthy and drained: a human runs it (manual, safer) or the policy does. */
  failback: z.enum(["manual", "automatic"]).default("manual"),
  /** How long an approval gate waits for a human before it times out (and the runbook escalates). */
  approvalTimeout: duration({ min: 1_000 }).prefault("10m"),
});

export const healthSchema = z.strictObject({
  /** Consecutive failed probe rounds before a region is DOWN. */
  failureThreshold: z.number().int().min(1).max(20).default(3),
  /** Consecutive good rounds before a DOWN region is UP again (hysteresis). */
  recoveryThreshold: z.number().int().min(1).max(50).default(5),
  /** Sliding window size, in samples, for the error rate. */
  window: z.number().int().min(1).max(1000).default(20),
  /** Error rate over the window at or above which a region is DEGRADED (gray failure). */
  degradedErrorRate: z.number().min(0).max(1).default(0.3),
  /** Error rate over the window at or above which a region counts as DOWN even without consecutive failures. */
  downErrorRate: z.number().min(0).max(1).default(0.8),
});

const probeCommon = {
  /** Optional name; defaults to `<kind>#<index>`. */
  name: z.string().min(1).optional(),
  interval: duration({ min: 1_000 }).prefault("10s"),
  timeout: duration({ min: 100 }).prefault("2s"),
};

export const probeSchema = z.discriminatedUnion(
  "kind",
  [
  z.strictObject({
    kind: z.literal("http"),
    ...probeCommon,
    /** `{region}` is replaced by each target region. */
    url: z.string().regex(/^https?:\/\//, { message: "an http(s) URL" }),
    expectStatus: z.number().int().min(100).max(599).default(200),
    bodyMatch: z.string().optional(),
    /** Slower than this counts as a failure. */
    maxLatency: duration({ min: 1 }).optional(),
  }),
  z.strictObject({
    kind: z.literal("cloudwatch-alarm"),
    ...probeCommon,
    /** Alarm name; `{region}` is replaced. Read in the target region. */
    alarm: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal("route53-health-check"),
    ...probeCommon,
    /** Health check id per region (read through the AWS/Route53 HealthCheckStatus metric in us-east-1). */
    healthChecks: z.record(regionSchema, z.string().min(1)),
  }),
  z.strictObject({
    kind: z.literal("aurora"),
    ...probeCommon,
  }),
  z.strictObject({
    kind: z.literal("dynamodb"),
    ...probeCommon,
  }),
  ],
  { error: 'one of "http", "cloudwatch-alarm", "route53-health-check", "aurora", "dynamodb"' },
);

export const trafficSchema = z.discriminatedUnion(
  "strategy",
  [
  z.strictObject({
    /** Data plane: pre-created failover records whose health checks watch a kill-switch metric. */
    strategy: z.literal("health-check"),
    hostedZoneId: z.string().min(1),
    record: z.string().min(1),
    ttl: duration({ min: 0, max: 172_800_000 }).prefault("60s"),
    /** Route 53 health check per app region (CLOUDWATCH_METRIC or CALCULATED including one). */
    healthChecks: z.record(regionSchema, z.string().min(1)),
    healthCheckInterval: z.enum(["10s", "30s"]).default("30s").transform((v) => parseDurationMs(v)),
    healthCheckFailureThreshold: z.number().int().min(1).max(10).default(3),
    /** The metric the health checks' alarms watch: 1 = region in service, 0 = drained. */
    killSwitch: z
      .strictObject({
        namespace: z
          .string()
          .min(1)
          .refine((ns) => !ns.startsWith("AWS/"), { message: 'a custom namespace (must not start with "AWS/")' }),
        metricName: z.string().min(1).default("RegionInService"),
        /** Alarm period + evaluation: how long after a PutMetricData the alarm flips. */
        alarmDelay: duration({ min: 0 }).prefault("60s"),
      }).prefault({ namespace: "Failover" }),
  }),
  z.strictObject({
    /** Control plane: UPSERT the record (Route 53 API in us-east-1). */
    strategy: z.literal("records"),
    hostedZoneId: z.string().min(1),
    record: z.string().min(1),
    ttl: duration({ min: 0, max: 172_800_000 }).prefault("60s"),
    recordType: z.enum(["CNAME", "A", "AAAA"]).default("CNAME"),
    /** Where the record points for each region; `{region}` is replaced. */
    target: z.string().min(1),
    routing: z.enum(["failover", "weighted", "simple"]).default("simple"),
    /** Estimate of GetChange PENDING -> INSYNC. */
    propagation: duration({ min: 0 }).prefault("60s"),
  }),
  z.strictObject({
    /**
     * Data plane: pre-created failover records whose RECOVERY_CONTROL health
     * checks follow Route 53 ARC routing controls; the runbook turns the
     * target's control On and the old one Off in one UpdateRoutingControlStates
     * call on the cluster's regional endpoints (no CloudWatch alarm delay).
     */
    strategy: z.literal("routing-control"),
    hostedZoneId: z.string().min(1),
    record: z.string().min(1),
    ttl: duration({ min: 0, max: 172_800_000 }).prefault("60s"),
    /** Routing control ARN per app region (On = the region receives traffic). */
    routingControls: z.record(regionSchema, arn("route53-recovery-control")),
    /** The RECOVERY_CONTROL health check on each app region's failover record (for readiness checks). */
    healthChecks: z.record(regionSchema, z.string().min(1)),
    /**
     * The cluster's regional endpoints (DescribeCluster's ClusterEndpoints): a
     * cluster has five, tried in turn in random order. Bookmark them: the
     * recovery path must not depend on the us-west-2 control plane to find them.
     */
    clusterEndpoints: z
      .array(
        z.strictObject({
          region: regionSchema,
          endpoint: z.string().regex(/^https?:\/\/\S+$/, { message: "the endpoint URL, e.g. https://host-aaaaaa.us-west-2.example.com/v1" }),
        }),
      )
      .min(1, { message: "the cluster's regional endpoints (five)" })
      .max(5, { message: "at most five endpoints: an ARC cluster has five" }),
    /**
     * How long after a control changes its health check's status follows and
     * Route 53 answers accordingly. AWS documents no figure: an estimate for
     * the RTO budget, and the settle wait of the runbook.
     */
    healthCheckDelay: duration({ min: 0, max: 300_000 }).prefault("10s"),
  }),
  ],
  { error: '"health-check" (data plane, the default choice), "routing-control" (data plane, Route 53 ARC) or "records" (Route 53 control plane)' },
);

export const auroraSchema = z.strictObject({
  globalCluster: z.string().min(1),
  /** Member cluster ARN per app region. */
  clusters: z.record(regionSchema, arn("rds")),
  /** Unplanned promotion estimate used by the RTO budget. */
  failoverEstimate: duration({ min: 1_000 }).prefault("2m"),
  /** Planned switchover estimate (excluding the wait for lag). */
  switchoverEstimate: duration({ min: 1_000 }).prefault("5m"),
  /** Lag metric: RPO lag where supported, else replication lag; `auto` detects with ListMetrics. */
  lagMetric: z.enum(["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag", "auto"]).default("auto"),
  /** A promotion not finished after this long escalates (bounded polling). */
  promotionTimeout: duration({ min: 10_000 }).prefault("8m"),
});

export const dynamodbSchema = z.strictObject({
  tables: z.array(z.string().min(3).max(255)).default([]),
});

export const coordinationSchema = z.strictObject({
  table: z.string().min(3).max(255),
  /** Region of the control table (the witness for a single-region table). */
  region: regionSchema,
  /**
   * strong: multi-region strong consistency (MRSC); single-region: a plain table
   * in one region; eventual: a global table (refused for automatic mode).
   */
  consistency: z.enum(["strong", "single-region", "eventual"]),
  /**
   * strong only: the regions holding a replica of the MRSC table (all three
   * observers when absent). Two replicas make the third region an MRSC
   * witness, which votes but holds no replica: its controller talks to
   * `coordination.region`, which must then be a replica.
   */
  replicas: z.array(regionSchema).min(2).max(3).optional(),
  leaseDuration: duration({ min: 5_000, max: 600_000 }).prefault("30s"),
  /** Largest clock difference between controllers that the lease tolerates. */
  maxClockSkew: duration({ min: 0, max: 60_000 }).prefault("5s"),
});

/** A runbook file, relative to the working directory. */
const runbookPath = z.string().regex(/^\S(.*\S)?$/, { message: "a path to an Amazon States Language JSON file (no leading or trailing spaces)" });

export const runbooksSchema = z
  .strictObject({
    failover: runbookPath.default("runbooks/failover.asl.json"),
    switchover: runbookPath.default("runbooks/switchover.asl.json"),
    failback: runbookPath.default("runbooks/failback.asl.json"),
    /** local: aws-local-stepfunctions in-process; step-functions: start the deployed state machine in the target region. */
    engine: z.enum(["local", "step-functions"]).default("local"),
    /** Prefix of deployed state machine names: `<prefix>-failover`. */
    stateMachinePrefix: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).optional(),
    /** Execution role of the deployed state machines. */
    roleArn: arn("iam").optional(),
  })
  .prefault({});

export const controllerSchema = z
  .strictObject({
    /** One control cycle per tick. */
    interval: duration({ min: 1_000 }).prefault("10s"),
    /** Namespace for the controller's own CloudWatch metrics. */
    metricsNamespace: z.string().min(1).default("Failover"),
  })
  .prefault({});

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A container image pinned by tag or digest: `repository:tag` or `repository@sha256:<64 hex>`. */
const pinnedImage = z.string().refine(
  (image) => {
    if (/\s/.test(image)) return false;
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
    const last = image.split("/").at(-1) ?? "";
    const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : "";
    return /^[\w][\w.-]{0,127}$/.test(tag) && tag !== "latest";
  },
  { message: 'an image pinned by tag or digest, such as "123456789012.dkr.ecr.us-east-1.amazonaws.com/failover:0.1.0" (not ":latest": every region must run the same build)' },
);

/**
 * Optional: what `failover infra synth` needs beyond the controller's own
 * settings to deploy into a real account. The network is the user's own
 * (never created); the rest has safe defaults.
 */
export const deploySchema = z.strictObject({
  /** The controller image every region runs; `{region}` is replaced (a registry replica per region). */
  image: pinnedImage,
  /** Existing VPC and subnets per controller region (app regions and witness). */
  network: z.record(
    regionSchema,
    z.strictObject({
      vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { message: 'a VPC id such as "vpc-0123456789abcdef0"' }),
      subnetIds: z
        .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: 'a subnet id such as "subnet-0123456789abcdef0"' }))
        .min(1, { message: "at least one subnet (two in different zones survive a zone failure)" }),
      /** Subnets without a NAT gateway or VPC endpoints need a public IP to reach the AWS APIs. */
      assignPublicIp: z.boolean().default(false),
    }),
  ),
  /** health-check strategy: where each region's failover record points; `{region}` is replaced (CNAME value). */
  recordTarget: z.string().min(1).optional(),
  logRetentionDays: z
    .number()
    .int()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { message: `one of ${LOG_RETENTION_DAYS.join(", ")} (the periods CloudWatch Logs accepts)` })
    .default(90),
  cpuArchitecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
  /**
   * `failover approve|reject` talk to the daemon's HTTP port with a bearer
   * token. Without this the service has no ingress and the endpoints are off.
   */
  approvals: z
    .strictObject({
      /** A SecureString SSM parameter you create holding FAILOVER_API_TOKEN (never in the templates). */
      tokenParameter: z.string().regex(/^\/[\w./-]{1,1010}$/, { message: 'an SSM parameter name such as "/failover/payments/api-token"' }),
      /** Networks allowed to reach the daemon's port (a VPN or bastion range). */
      allowFrom: z
        .array(
          z
            .string()
            .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, { message: 'an IPv4 CIDR such as "10.0.0.0/16"' })
            .refine((c) => !c.endsWith("/0"), { message: "a private range, not the whole internet: approvals change production" }),
        )
        .min(1),
    })
    .optional(),
});

export const configSchema = z.strictObject({
  application: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, { message: "a short lower-case name (a-z, 0-9, -)" }),
  /** AWS account id, used to scope IAM policies to exact ARNs. */
  accountId: z.string().regex(/^\d{12}$/, { message: "a 12-digit AWS account id" }),
  /** App regions; the first is the initial primary. */
  regions: z.array(regionSchema).min(2, { message: "at least two app regions" }),
  /** A region with a controller but no app or data; votes in the quorum. */
  witness: regionSchema.optional(),
  policy: policySchema.prefault({}),
  health: healthSchema.prefault({}),
  probes: z.array(probeSchema).min(1, { message: "at least one probe" }),
  traffic: trafficSchema,
  aurora: auroraSchema,
  dynamodb: dynamodbSchema.prefault({}),
  coordination: coordinationSchema,
  runbooks: runbooksSchema,
  controller: controllerSchema,
  /** Only `failover infra synth` reads it. */
  deploy: deploySchema.optional(),
  /** Where escalations, failovers and readiness changes are sent (second wave). */
  notifications: notificationsSchema,
  /** The drill's readiness checks, run by the daemon on a schedule (second wave). */
  readiness: readinessSchema,
});

/** The parsed config: durations are milliseconds. */
export type Config = z.output<typeof configSchema>;
/** The config as written in YAML. */
export type ConfigInput = z.input<typeof configSchema>;
export type ProbeConfig = Config["probes"][number];
export type TrafficConfig = Config["traffic"];
export type PolicyConfig = Config["policy"];

/** Replaces `{region}` in a template. */
export function forRegion(template: string, region: string): string {
  return template.replaceAll("{region}", region);
}
