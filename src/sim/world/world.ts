// The simulated AWS world: the service models wired together, the metrics
// AWS itself publishes, and the one entry point every SDK call goes
// through (`call`), which applies the faults: unreachable endpoints hang
// until the request timeout, api-errors answer throttling / 5xx / timeout
// at their rate, and every answer arrives after the world's API latency.

import type { Config } from "../../config/index.js";
import type { Region } from "../../core/index.js";
import { metadata, requestTimeoutError, serverError, throttlingError } from "../errors.js";
import type { Scheduler } from "../scheduler.js";
import type { ApiService, WorldSettings } from "../types.js";
import { AuroraModel } from "./aurora.js";
import type { CallContext, Input } from "./call-context.js";
import { APP_METRICS_NAMESPACE, CloudWatchModel } from "./cloudwatch.js";
import { WorldCore, jitter } from "./core.js";
import { DynamoDbModel } from "./dynamodb.js";
import { Route53Model } from "./route53.js";
import { SfnModel } from "./sfn.js";

/** Route 53's control plane region. */
export const CONTROL_PLANE_REGION: Region = "us-east-1";
const METRICS_INTERVAL_MS = 10_000;

export interface ApiRequest {
  service: ApiService;
  /** The client's region (ignored for Route 53, always answered by us-east-1). */
  region: Region;
  callerRegion: Region;
  /** Operation name without the `Command` suffix, e.g. "GetItem". */
  command: string;
  input: Input;
  /** False once the caller crashed: its calls never complete. */
  alive: () => boolean;
}

type Failure = "timeout" | "throttle" | "5xx" | undefined;

export class World {
  readonly core: WorldCore;
  readonly cloudwatch: CloudWatchModel;
  readonly route53: Route53Model;
  readonly aurora: AuroraModel;
  readonly dynamodb: DynamoDbModel;
  readonly sfn: SfnModel;

  constructor(sched: Scheduler, settings: WorldSettings, config: Config, seed: number) {
    this.core = new WorldCore(sched, settings, config, seed);
    this.cloudwatch = new CloudWatchModel(this.core);
    this.route53 = new Route53Model(this.core, this.cloudwatch);
    this.aurora = new AuroraModel(this.core);
    this.dynamodb = new DynamoDbModel(this.core);
    this.sfn = new SfnModel(this.core);
    this.publishMetrics();
  }

  get sched(): Scheduler {
    return this.core.sched;
  }

  /** The region takes writes from clients now: app up and its cluster the (believed) writer. */
  acceptsWrites(region: Region): boolean {
    return this.core.appErrorRate(region) < 1 && this.aurora.acceptsWrites(region);
  }

  /** Share of a client's writes to `region` that fail now. */
  failureShare(region: Region): number {
    if (region === "" || !this.aurora.acceptsWrites(region)) return 1;
    return this.core.appErrorRate(region);
  }

  // ---------- the API entry point ----------

  call(req: ApiRequest): Promise<unknown> {
    const core = this.core;
    core.awsCalls++;
    const requestId = `sim-${String(core.awsCalls).padStart(8, "0")}`;
    const endpoint = req.service === "route53" ? CONTROL_PLANE_REGION : req.region;
    return new Promise((resolve, reject) => {
      if (!req.alive()) return; // a dead process's call never completes
      const failure = this.failureFor(req.service, endpoint, req.callerRegion);
      if (failure === "timeout") {
        const timeoutMs = core.settings.api.timeoutMs;
        core.sched.after(timeoutMs, () => (req.alive() ? reject(requestTimeoutError(timeoutMs)) : undefined), true);
        return;
      }
      core.sched.after(
        jitter(core, core.settings.api.latency),
        () => {
          if (!req.alive()) return;
          if (failure === "throttle") return reject(throttlingError(req.service, requestId));
          if (failure === "5xx") return reject(serverError(req.service, requestId));
          try {
            const ctx: CallContext = { region: endpoint, callerRegion: req.callerRegion, requestId };
            const out = this.dispatch(req.service, req.command, req.input, ctx) as Record<string, unknown>;
            resolve({ $metadata: metadata(200, requestId), ...out });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        },
        true,
      );
    });
  }

  private dispatch(service: ApiService, command: string, input: Input, ctx: CallContext): unknown {
    switch (service) {
      case "route53":
        return this.route53.handle(command, input, ctx);
      case "rds":
        return this.aurora.handle(command, input, ctx);
      case "dynamodb":
        return this.dynamodb.handle(command, input, ctx);
      case "cloudwatch":
        return this.cloudwatch.handle(command, input, ctx);
      case "sfn":
        return this.sfn.handle(command, input, ctx);
    }
  }

  private failureFor(service: ApiService, endpoint: Region, caller: Region): Failure {
    const core = this.core;
    if (core.partitioned(caller, endpoint)) return "timeout";
    switch (service) {
      case "route53":
        if (core.controlPlaneDown("route53")) return "5xx";
        break;
      case "rds":
        if (core.outage(endpoint, "aurora")) return "timeout";
        break;
      case "dynamodb":
        if (core.outage(endpoint, "dynamodb")) return "timeout";
        break;
      case "cloudwatch":
        if (core.outage(endpoint, "cloudwatch")) return "timeout";
        break;
      case "sfn":
        if (core.regionDark(endpoint)) return "timeout";
        break;
    }
    for (const f of core.apiFaults(service, endpoint)) {
      if (core.random.chance(f.rate)) return f.error;
    }
    return undefined;
  }

  // ---------- metrics AWS publishes on its own ----------

  private publishMetrics(): void {
    const { core, cloudwatch } = this;
    const now = core.now();
    for (const region of core.regions) {
      if (core.outage(region, "cloudwatch")) continue;
      cloudwatch.put(region, APP_METRICS_NAMESPACE, "ErrorRate", { Region: region }, core.appErrorRate(region), now);
      const lag = core.outage(region, "aurora") ? undefined : this.aurora.lagMs(region);
      const member = this.aurora.member(region);
      if (lag !== undefined && member) {
        for (const name of ["AuroraGlobalDBRPOLag", "AuroraGlobalDBReplicationLag"]) {
          cloudwatch.put(region, "AWS/RDS", name, { DBClusterIdentifier: member.name }, lag, now);
        }
      }
      if (!core.outage(region, "dynamodb")) {
        for (const table of core.config.dynamodb.tables) {
          for (const dst of core.regions) {
            const latency = dst === region ? undefined : this.dynamodb.replicationLatencyMs(region, dst);
            if (latency !== undefined) cloudwatch.put(region, "AWS/DynamoDB", "ReplicationLatency", { TableName: table, ReceivingRegion: dst }, latency, now);
          }
        }
      }
    }
    if (!core.outage(CONTROL_PLANE_REGION, "cloudwatch")) {
      for (const hc of this.route53.checks.values()) {
        cloudwatch.put(CONTROL_PLANE_REGION, "AWS/Route53", "HealthCheckStatus", { HealthCheckId: hc.id }, hc.healthy ? 1 : 0, now);
      }
    }
    core.sched.after(METRICS_INTERVAL_MS, () => this.publishMetrics());
  }
}
