// The client factory: one SDK client per service and region, built on first
// use and cached, each wrapped by its adapter. Route 53 is global and always
// talks to us-east-1, where its control plane lives.
//
// Endpoints. SDK v3 (this version included) natively honours
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (SERVICE = the SDK's
// serviceId upper-cased with spaces as "_": ROUTE_53, RDS, DYNAMODB,
// CLOUDWATCH, SFN), the shared config's endpoint_url, and
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, all read from process.env. So without
// `env` the factory passes no endpoint and lets the SDK decide. The SDK cannot
// read any other environment object, so when `env` is given (tests, the
// simulator, a daemon serving several configs) the same two variables are
// looked up in it and passed as an explicit endpoint, and the SDK's own lookup
// is switched off so process.env cannot leak in.
//
// Timeouts. NodeHttpHandler's `connectionTimeout` bounds the TCP/TLS connect
// and `requestTimeout` the whole request; in this SDK version a breached
// requestTimeout only logs a warning unless `throwOnRequestTimeout` is set, so
// it is set: a hung endpoint must fail the call (retryable TimeoutError), not
// stall the control loop. Passed as handler options, so
// @smithy/node-http-handler need not be imported.

import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { Route53RecoveryClusterClient } from "@aws-sdk/client-route53-recovery-cluster";
import type { MetadataBearer, MiddlewareStack } from "@smithy/types";
import { SeededRandom, type Random, type Region } from "../core/index.js";
import { createRoutingControlAdapter } from "./arc.js";
import { createAuroraAdapter } from "./aurora.js";
import { createCloudWatchAdapter } from "./cloudwatch.js";
import { createDynamoDbAdapter } from "./dynamodb.js";
import type { ArcEndpoint, AwsAdapters, RegionAdapters, RoutingControlApi } from "./ports.js";
import { createRoute53Adapter } from "./route53.js";
import { createSfnAdapter } from "./sfn.js";
import { createSnsAdapter } from "./sns.js";

export type AwsServiceName = "route53" | "rds" | "dynamodb" | "cloudwatch" | "sfn" | "sns" | "route53-recovery-cluster";

/** The SDK's serviceId of each client: the suffix of AWS_ENDPOINT_URL_<SERVICE> is derived from it. */
export const AWS_SERVICE_IDS: Readonly<Record<AwsServiceName, string>> = {
  route53: "Route 53",
  rds: "RDS",
  dynamodb: "DynamoDB",
  cloudwatch: "CloudWatch",
  sfn: "SFN",
  sns: "SNS",
  "route53-recovery-cluster": "Route53 Recovery Cluster",
};

/** The Route 53 control plane region (commercial partition). */
export const ROUTE53_REGION: Region = "us-east-1";

/** What `decorate` receives: every SDK client exposes its middleware stack. */
export interface DecoratableClient {
  middlewareStack: MiddlewareStack<object, MetadataBearer>;
}

/** Called once for every client the factory builds, before its first request. */
export type ClientDecorator = (client: DecoratableClient, service: AwsServiceName, region: Region) => void;

export type AwsCredentials = DynamoDBClientConfig["credentials"];

export interface AwsClientOptions {
  /** Where AWS_ENDPOINT_URL* are read; omitted: the SDK reads process.env and the shared config itself. */
  env?: NodeJS.ProcessEnv;
  /** Total attempts per call, first included (SDK default 3). */
  maxAttempts?: number;
  retryMode?: "standard" | "adaptive";
  /** Bound on one HTTP request (one attempt), in ms (default 10 s). */
  requestTimeoutMs?: number;
  /** TCP/TLS connect bound, in ms (default 3 s, never above requestTimeoutMs). */
  connectTimeoutMs?: number;
  /** Omitted: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** The hook the simulated world uses to add its middleware to every client. */
  decorate?: ClientDecorator;
  /**
   * Resolve each command's middleware stack once per client and reuse it
   * (the SDK's `cacheMiddleware`) instead of cloning and sorting the stack on
   * every send. The simulator sets it: its calls stop at the initialize step,
   * where the middleware only reads per-command constants from the shared
   * context, and rebuilding the stack was its largest cost. Off by default so
   * production requests keep a context of their own.
   */
  cacheMiddleware?: boolean;
  /**
   * The order ARC cluster endpoints are tried in. The simulator passes a
   * seeded one so a seed replays the same order; omitted: seeded from the
   * process's high-resolution clock, so controllers spread over endpoints.
   */
  random?: Random;
}

/** The adapters, plus a way to close every client's sockets on shutdown. */
export interface AwsAdaptersHandle extends AwsAdapters {
  /** Closes every client; the handle and its adapters must not be used afterwards. */
  destroy(): void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

/** AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, from `env`, exactly as the SDK resolves them. */
export function endpointFromEnv(env: NodeJS.ProcessEnv, service: AwsServiceName): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") return undefined;
  const suffix = AWS_SERVICE_IDS[service].split(" ").map((w) => w.toUpperCase()).join("_");
  const specific = env[`AWS_ENDPOINT_URL_${suffix}`];
  if (specific) return specific;
  const general = env.AWS_ENDPOINT_URL;
  return general ? general : undefined;
}

interface AnyClient extends DecoratableClient {
  destroy(): void;
}

export function createAwsAdapters(opts: AwsClientOptions = {}): AwsAdaptersHandle {
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const connectTimeoutMs = Math.min(opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs);
  const clients = new Map<string, AnyClient>();

  const configFor = (service: AwsServiceName, region: Region) => {
    const endpoint = opts.env === undefined ? undefined : endpointFromEnv(opts.env, service);
    return {
      region,
      ...(opts.maxAttempts !== undefined && { maxAttempts: opts.maxAttempts }),
      ...(opts.retryMode !== undefined && { retryMode: opts.retryMode }),
      ...(opts.cacheMiddleware !== undefined && { cacheMiddleware: opts.cacheMiddleware }),
      ...(opts.credentials !== undefined && { credentials: opts.credentials }),
      requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true, connectionTimeout: connectTimeoutMs },
      ...(opts.env !== undefined && { ignoreConfiguredEndpointUrls: true }),
      ...(endpoint !== undefined && { endpoint }),
    };
  };

  /** One client per service and region, decorated once, reused for every call. */
  function client<C extends AnyClient>(service: AwsServiceName, region: Region, make: (config: ReturnType<typeof configFor>) => C): C {
    const key = `${service}@${region}`;
    const cached = clients.get(key);
    if (cached) return cached as C;
    const created = make(configFor(service, region));
    opts.decorate?.(created, service, region);
    clients.set(key, created);
    return created;
  }

  const regions = new Map<Region, RegionAdapters>();
  const arcRandom = opts.random ?? new SeededRandom(Number(process.hrtime.bigint() & 0xffffffffn));
  const arcAdapters = new Map<string, RoutingControlApi>();
  /**
   * One client per cluster endpoint: the cluster answers only on its own
   * URLs, so the endpoint is explicit. AWS_ENDPOINT_URL(_ROUTE53_RECOVERY_CLUSTER)
   * in `env` still wins, for LocalStack-style test setups.
   */
  const arcClient = (e: ArcEndpoint): Route53RecoveryClusterClient => {
    const key = `route53-recovery-cluster@${e.region}@${e.endpoint}`;
    const cached = clients.get(key);
    if (cached) return cached as Route53RecoveryClusterClient;
    const base = configFor("route53-recovery-cluster", e.region);
    const created = new Route53RecoveryClusterClient({ ...base, endpoint: base.endpoint ?? e.endpoint });
    opts.decorate?.(created, "route53-recovery-cluster", e.region);
    clients.set(key, created);
    return created;
  };
  const route53 = createRoute53Adapter(client("route53", ROUTE53_REGION, (c) => new Route53Client(c)), ROUTE53_REGION);

  return {
    route53,
    region(region: Region): RegionAdapters {
      const cached = regions.get(region);
      if (cached) return cached;
      const adapters: RegionAdapters = {
        region,
        aurora: createAuroraAdapter(client("rds", region, (c) => new RDSClient(c)), region),
        dynamodb: createDynamoDbAdapter(client("dynamodb", region, (c) => new DynamoDBClient(c)), region),
        cloudwatch: createCloudWatchAdapter(client("cloudwatch", region, (c) => new CloudWatchClient(c)), region),
        sfn: createSfnAdapter(client("sfn", region, (c) => new SFNClient(c)), region),
        sns: createSnsAdapter(client("sns", region, (c) => new SNSClient(c)), region),
      };
      regions.set(region, adapters);
      return adapters;
    },
    routingControl(endpoints: readonly ArcEndpoint[]): RoutingControlApi {
      const key = endpoints.map((e) => `${e.region}=${e.endpoint}`).join(",");
      const cached = arcAdapters.get(key);
      if (cached) return cached;
      const adapter = createRoutingControlAdapter(endpoints, arcClient, arcRandom);
      arcAdapters.set(key, adapter);
      return adapter;
    },
    destroy() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
      regions.clear();
      arcAdapters.clear();
    },
  };
}
