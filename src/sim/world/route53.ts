// Route 53 (reference/aws-apis.md, "Route 53"): one hosted zone, the app
// record, and a health check per app region.
//   - Control plane (every API call) lives in us-east-1; the middleware
//     fails calls while a control-plane-outage is in force. DNS answers and
//     health checkers are the data plane and never stop.
//   - ChangeResourceRecordSets is validated and applied atomically to the
//     zone (what List returns) at once, answered PENDING, and reaches the
//     name servers (what DNS answers) after changePropagation, when GetChange
//     turns INSYNC.
//   - Health checks run every healthCheckInterval; a check turns unhealthy
//     after FailureThreshold consecutive failed rounds and healthy again
//     after as many good ones. With the health-check strategy each region's
//     check is CALCULATED from an endpoint check of its app AND a
//     CLOUDWATCH_METRIC check on the region's kill-switch alarm (missing
//     alarm data: last known status).
//   - Failover routing: PRIMARY while healthy, else SECONDARY while healthy,
//     and when all are unhealthy Route 53 answers as if all were healthy.
//     More than two regions are chained the way Route 53 allows: each
//     SECONDARY is an alias (EvaluateTargetHealth) to the next failover
//     pair, so the answer is the first healthy region in order, or the
//     first region when none is. Weighted routing: healthy non-zero
//     weights, same all-unhealthy rule.

import { forRegion } from "../../config/index.js";
import type { Region } from "../../core/index.js";
import { route53Errors, unsupported } from "../errors.js";
import { bool, list, num, obj, str, type CallContext, type Input } from "./call-context.js";
import type { CloudWatchModel } from "./cloudwatch.js";
import type { WorldCore } from "./core.js";

export type RecordSet = Record<string, unknown> & { Name: string; Type: string };

interface HealthCheck {
  id: string;
  region: Region;
  /** CALCULATED (endpoint AND kill-switch alarm) or a plain endpoint check. */
  calculated: boolean;
  fqdn: string;
  alarmName?: string;
  endpointHealthy: boolean;
  /** Consecutive rounds disagreeing with endpointHealthy. */
  streak: number;
  metricHealthy: boolean;
  healthy: boolean;
  disabled: boolean;
  inverted: boolean;
}

interface Change {
  id: string;
  submittedMs: number;
  insyncAtMs: number;
}

/** Share of clients an answer sends to each region ("" = nowhere: NXDOMAIN or an unknown target). */
export type DnsAnswer = [Region, number][];

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, "");
const fqdn = (name: string): string => `${norm(name)}.`;
const recordKey = (r: { Name: string; Type: string; SetIdentifier?: unknown }): string =>
  `${norm(r.Name)}|${r.Type}|${typeof r.SetIdentifier === "string" ? r.SetIdentifier : ""}`;
const reversed = (name: string): string => norm(name).split(".").reverse().join(".");

/** Route 53's checkers count a region healthy when more than 18% of them succeed. */
const CHECKER_HEALTHY_SHARE = 0.18;
/** HTTP checks must connect within 4 s (then answer within 2 s). */
const CHECKER_TIMEOUT_MS = 4_000;

export class Route53Model {
  readonly zoneId: string;
  readonly recordName: string;
  private readonly zone = new Map<string, RecordSet>();
  private readonly served = new Map<string, RecordSet>();
  private readonly changes = new Map<string, Change>();
  readonly checks = new Map<string, HealthCheck>();
  private changeSeq = 0;
  private answerKey = "";
  answer: DnsAnswer = [];
  answerVersion = 0;
  readonly answerListeners: (() => void)[] = [];

  constructor(
    private readonly core: WorldCore,
    private readonly cloudwatch: CloudWatchModel,
  ) {
    const traffic = core.config.traffic;
    this.zoneId = traffic.hostedZoneId;
    this.recordName = norm(traffic.record);
    this.createHealthChecks();
    for (const r of this.initialRecords()) {
      this.zone.set(recordKey(r), r);
      this.served.set(recordKey(r), structuredClone(r));
    }
    this.recomputeAnswer();
    const interval = core.settings.route53.healthCheckIntervalMs;
    core.sched.after(interval, () => this.healthRound());
  }

  /** The app endpoint of a region: what records point at and what checkers probe. */
  hostOf(region: Region): string {
    const t = this.core.config.traffic;
    return t.strategy === "records" ? norm(forRegion(t.target, region)) : `${region}.${this.recordName}`;
  }

  regionOfHost(host: string): Region | undefined {
    const h = norm(host);
    for (const r of this.core.regions) if (this.hostOf(r) === h) return r;
    return this.core.regions.find((r) => h.split(".").includes(r));
  }

  healthCheckId(region: Region): string {
    const t = this.core.config.traffic;
    return (t.strategy === "health-check" ? t.healthChecks[region] : undefined) ?? `hc-${this.core.config.application}-${region}`;
  }

  killSwitchAlarm(region: Region): string {
    return `${this.core.config.application}-kill-switch-${region}`;
  }

  private createHealthChecks(): void {
    const calculated = this.core.config.traffic.strategy === "health-check";
    for (const region of this.core.regions) {
      const id = this.healthCheckId(region);
      const metricHealthy = !calculated || this.cloudwatch.alarmState(region, this.killSwitchAlarm(region)) !== "ALARM";
      this.checks.set(id, {
        id,
        region,
        calculated,
        fqdn: this.hostOf(region),
        ...(calculated && { alarmName: this.killSwitchAlarm(region) }),
        endpointHealthy: true,
        streak: 0,
        metricHealthy,
        healthy: metricHealthy,
        disabled: false,
        inverted: false,
      });
    }
  }

  private initialRecords(): RecordSet[] {
    const t = this.core.config.traffic;
    const regions = this.core.regions;
    const ttl = Math.round(this.core.settings.dnsTtlMs / 1000);
    const base = (region: Region) => ({ Name: fqdn(this.recordName), Type: t.strategy === "records" ? t.recordType : "CNAME", TTL: ttl, ResourceRecords: [{ Value: this.hostOf(region) }] });
    const routing = t.strategy === "records" ? t.routing : "failover";
    const apex = [
      { Name: fqdn(this.zoneApex()), Type: "NS", TTL: 172800, ResourceRecords: [{ Value: "ns-1.awsdns-sim.org." }] },
      { Name: fqdn(this.zoneApex()), Type: "SOA", TTL: 900, ResourceRecords: [{ Value: "ns-1.awsdns-sim.org. hostmaster.sim. 1 7200 900 1209600 86400" }] },
    ];
    if (routing === "simple") return [...apex, base(regions[0]!)];
    if (routing === "failover") {
      const records: RecordSet[] = [...apex];
      const level = (i: number) => (i === 0 ? this.recordName : `failover-${i + 1}.${this.recordName}`);
      for (let i = 0; i < regions.length - 1; i++) {
        const r = regions[i]!;
        records.push({ ...base(r), Name: fqdn(level(i)), SetIdentifier: r, Failover: "PRIMARY", HealthCheckId: this.healthCheckId(r) });
        const next = regions[i + 1]!;
        records.push(
          i === regions.length - 2
            ? { ...base(next), Name: fqdn(level(i)), SetIdentifier: next, Failover: "SECONDARY", HealthCheckId: this.healthCheckId(next) }
            : { Name: fqdn(level(i)), Type: "CNAME", SetIdentifier: `${next}-and-after`, Failover: "SECONDARY", AliasTarget: { HostedZoneId: this.zoneId, DNSName: fqdn(level(i + 1)), EvaluateTargetHealth: true } },
        );
      }
      return records;
    }
    // Weighted (records strategy): the active region carries the weight.
    return [...apex, ...regions.map((r, i) => ({ ...base(r), SetIdentifier: r, Weight: i === 0 ? 1 : 0, HealthCheckId: this.healthCheckId(r) }))];
  }

  private zoneApex(): string {
    const labels = this.recordName.split(".");
    return labels.length > 2 ? labels.slice(1).join(".") : this.recordName;
  }

  // ---------- data plane ----------

  private checkerSeesApp(region: Region): boolean {
    // Probe noise is the controllers' observers only; the app's real state is what checkers see.
    return this.core.appErrorRate(region) < 1 - CHECKER_HEALTHY_SHARE && this.core.appExtraLatencyMs(region) < CHECKER_TIMEOUT_MS;
  }

  private healthRound(): void {
    const threshold = this.core.settings.route53.healthCheckFailureThreshold;
    let changed = false;
    for (const hc of this.checks.values()) {
      const ok = this.checkerSeesApp(hc.region);
      if (ok === hc.endpointHealthy) hc.streak = 0;
      else if (++hc.streak >= threshold) {
        hc.endpointHealthy = ok;
        hc.streak = 0;
      }
      if (hc.alarmName !== undefined) {
        // CloudWatch unreachable reads as INSUFFICIENT_DATA, which these checks count as unhealthy.
        hc.metricHealthy = !this.core.outage(hc.region, "cloudwatch") && this.cloudwatch.alarmState(hc.region, hc.alarmName) === "OK";
      }
      let healthy = hc.endpointHealthy && hc.metricHealthy;
      if (hc.inverted) healthy = !healthy;
      if (hc.disabled) healthy = true;
      if (healthy !== hc.healthy) {
        hc.healthy = healthy;
        changed = true;
        this.core.log("route53.health-check", { healthCheckId: hc.id, region: hc.region, healthy });
      }
    }
    if (changed) this.recomputeAnswer();
    this.core.sched.after(this.core.settings.route53.healthCheckIntervalMs, () => this.healthRound());
  }

  isHealthy(healthCheckId: string): boolean | undefined {
    return this.checks.get(healthCheckId)?.healthy;
  }

  /** What a resolver gets for the app record now. */
  private resolve(): DnsAnswer {
    return this.resolveName(this.recordName, 0).answer;
  }

  /** The answer for one name, and whether any record behind it is healthy (alias EvaluateTargetHealth). */
  private resolveName(name: string, depth: number): { answer: DnsAnswer; healthy: boolean } {
    const records = [...this.served.values()].filter((r) => norm(r.Name) === name && ["A", "AAAA", "CNAME"].includes(r.Type));
    if (records.length === 0 || depth > 8) return { answer: [], healthy: false };
    const evaluate = (r: RecordSet): { answer: DnsAnswer; healthy: boolean } => {
      const alias = obj(r.AliasTarget);
      const aliasName = str(alias.DNSName);
      const inZone = aliasName !== undefined && [...this.served.values()].some((x) => norm(x.Name) === norm(aliasName));
      const inner = inZone ? this.resolveName(norm(aliasName), depth + 1) : undefined;
      const value = aliasName ?? str(obj(list(r.ResourceRecords)[0]).Value) ?? "";
      const answer: DnsAnswer = inner ? inner.answer : [[this.regionOfHost(value) ?? "", 1]];
      const id = str(r.HealthCheckId);
      const healthy = id !== undefined ? (this.checks.get(id)?.healthy ?? true) : alias.EvaluateTargetHealth === true && inner ? inner.healthy : true;
      return { answer, healthy };
    };
    if (records.some((r) => r.Failover !== undefined)) {
      const primary = records.find((r) => r.Failover === "PRIMARY");
      const secondary = records.find((r) => r.Failover === "SECONDARY");
      const p = primary ? evaluate(primary) : undefined;
      const s = secondary ? evaluate(secondary) : undefined;
      const pick = p?.healthy ? p : s?.healthy ? s : (p ?? s)!;
      return { answer: pick.answer, healthy: (p?.healthy ?? false) || (s?.healthy ?? false) };
    }
    if (records.some((r) => r.Weight !== undefined)) {
      const evaluated = records.map((r) => ({ r, e: evaluate(r), w: num(r.Weight) ?? 0 }));
      const up = evaluated.filter((x) => x.e.healthy);
      const pool = up.length > 0 ? up : evaluated;
      const weighted = pool.filter((x) => x.w > 0);
      const chosen = weighted.length > 0 ? weighted : pool;
      const total = chosen.reduce((sum, x) => sum + (weighted.length > 0 ? x.w : 1), 0);
      const shares = new Map<Region, number>();
      for (const x of chosen) {
        for (const [region, share] of x.e.answer) shares.set(region, (shares.get(region) ?? 0) + (share * (weighted.length > 0 ? x.w : 1)) / total);
      }
      return { answer: [...shares.entries()].sort((a, b) => a[0].localeCompare(b[0])), healthy: up.length > 0 };
    }
    const values = list(records[0]!.ResourceRecords).map((v) => this.regionOfHost(str(obj(v).Value) ?? "") ?? "");
    const answer: DnsAnswer = values.length === 0 ? [] : [...new Set(values)].sort().map((r) => [r, values.filter((v) => v === r).length / values.length]);
    return { answer, healthy: true };
  }

  private recomputeAnswer(): void {
    const answer = this.resolve();
    const key = JSON.stringify(answer);
    if (key === this.answerKey) return;
    this.answerKey = key;
    this.answer = answer;
    this.answerVersion++;
    this.core.touch();
    this.core.log("dns.answer", { record: this.recordName, regions: Object.fromEntries(answer.map(([r, s]) => [r === "" ? "(none)" : r, round3(s)])) });
    for (const l of this.answerListeners) l();
  }

  // ---------- control plane ----------

  handle(command: string, input: Input, ctx: CallContext): unknown {
    switch (command) {
      case "ChangeResourceRecordSets":
        return this.changeResourceRecordSets(input, ctx);
      case "GetChange":
        return this.getChange(input, ctx);
      case "ListResourceRecordSets":
        return this.listResourceRecordSets(input, ctx);
      case "GetHealthCheckStatus":
        return this.getHealthCheckStatus(input, ctx);
      case "GetHealthCheck":
        return { HealthCheck: this.describeCheck(this.check(input, ctx)) };
      case "ListHealthChecks":
        return { HealthChecks: [...this.checks.values()].map((c) => this.describeCheck(c)), IsTruncated: false, Marker: "", MaxItems: "100" };
      case "UpdateHealthCheck": {
        const hc = this.check(input, ctx);
        if (bool(input.Disabled) !== undefined) hc.disabled = bool(input.Disabled)!;
        if (bool(input.Inverted) !== undefined) hc.inverted = bool(input.Inverted)!;
        return { HealthCheck: this.describeCheck(hc) };
      }
      default:
        throw unsupported("route53", command, ctx.requestId);
    }
  }

  private checkZone(input: Input, ctx: CallContext): void {
    const id = (str(input.HostedZoneId) ?? "").replace(/^\/hostedzone\//, "");
    if (id !== this.zoneId) throw route53Errors.noSuchHostedZone(`No hosted zone found with ID: ${id}`, ctx.requestId);
  }

  private changeResourceRecordSets(input: Input, ctx: CallContext): unknown {
    this.checkZone(input, ctx);
    const changes = list(obj(input.ChangeBatch).Changes).map((c) => ({ action: str(obj(c).Action), record: obj(obj(c).ResourceRecordSet) as RecordSet }));
    const problems: string[] = [];
    const next = new Map(this.zone);
    for (const { action, record } of changes) {
      if (typeof record.Name !== "string" || typeof record.Type !== "string") {
        problems.push("ResourceRecordSet needs Name and Type");
        continue;
      }
      const key = recordKey(record);
      const desc = `[${norm(record.Name)}, ${record.Type}${typeof record.SetIdentifier === "string" ? `, ${record.SetIdentifier}` : ""}]`;
      if (action === "CREATE" && next.has(key)) problems.push(`Tried to create resource record set ${desc} but it already exists`);
      else if (action === "DELETE" && !next.has(key)) problems.push(`Tried to delete resource record set ${desc} but it was not found`);
      else if (action !== "CREATE" && action !== "DELETE" && action !== "UPSERT") problems.push(`Unknown action ${String(action)}`);
      else if (action === "DELETE") next.delete(key);
      else next.set(key, { ...structuredClone(record), Name: fqdn(record.Name) });
    }
    if (changes.length === 0) problems.push("ChangeBatch has no changes");
    if (problems.length > 0) throw route53Errors.invalidChangeBatch(problems, ctx.requestId);
    // Atomic: the whole batch or nothing.
    this.zone.clear();
    for (const [k, v] of next) this.zone.set(k, v);
    const now = this.core.now();
    const change: Change = { id: `C${String(++this.changeSeq).padStart(12, "0")}`, submittedMs: now, insyncAtMs: now + this.core.settings.route53.changePropagationMs };
    this.changes.set(change.id, change);
    this.core.log("route53.change", { changeId: change.id, changes: changes.map((c) => `${String(c.action)} ${norm(c.record.Name)} ${String(c.record.SetIdentifier ?? "")}`.trim()) });
    this.core.sched.at(change.insyncAtMs, () => {
      for (const { action, record } of changes) {
        if (action === "DELETE") this.served.delete(recordKey(record));
        else this.served.set(recordKey(record), { ...structuredClone(record), Name: fqdn(record.Name) });
      }
      this.core.log("route53.insync", { changeId: change.id });
      this.recomputeAnswer();
    });
    return { ChangeInfo: this.changeInfo(change) };
  }

  private changeInfo(c: Change): Record<string, unknown> {
    return { Id: `/change/${c.id}`, Status: this.core.now() >= c.insyncAtMs ? "INSYNC" : "PENDING", SubmittedAt: new Date(c.submittedMs) };
  }

  private getChange(input: Input, ctx: CallContext): unknown {
    const id = (str(input.Id) ?? "").replace(/^\/change\//, "");
    const change = this.changes.get(id);
    if (!change) throw route53Errors.noSuchChange(`A change with the specified change ID does not exist: ${id}`, ctx.requestId);
    return { ChangeInfo: this.changeInfo(change) };
  }

  private listResourceRecordSets(input: Input, ctx: CallContext): unknown {
    this.checkZone(input, ctx);
    const sorted = [...this.zone.values()].sort(
      (a, b) => reversed(a.Name).localeCompare(reversed(b.Name)) || a.Type.localeCompare(b.Type) || String(a.SetIdentifier ?? "").localeCompare(String(b.SetIdentifier ?? "")),
    );
    const startName = str(input.StartRecordName);
    const startType = str(input.StartRecordType);
    const startId = str(input.StartRecordIdentifier);
    let from = 0;
    if (startName !== undefined) {
      from = sorted.findIndex((r) => {
        const c = reversed(r.Name).localeCompare(reversed(startName));
        if (c !== 0) return c > 0;
        if (startType === undefined) return true;
        const t = r.Type.localeCompare(startType);
        if (t !== 0) return t > 0;
        return startId === undefined || String(r.SetIdentifier ?? "").localeCompare(startId) >= 0;
      });
      if (from < 0) from = sorted.length;
    }
    const max = Math.min(300, Math.max(1, Number(input.MaxItems ?? 300) || 300));
    const page = sorted.slice(from, from + max);
    const next = sorted[from + max];
    return {
      ResourceRecordSets: page.map((r) => structuredClone(r)),
      IsTruncated: next !== undefined,
      MaxItems: String(max),
      ...(next !== undefined && { NextRecordName: next.Name, NextRecordType: next.Type, ...(next.SetIdentifier !== undefined && { NextRecordIdentifier: next.SetIdentifier }) }),
    };
  }

  private check(input: Input, ctx: CallContext): HealthCheck {
    const id = str(input.HealthCheckId) ?? "";
    const hc = this.checks.get(id);
    if (!hc) throw route53Errors.noSuchHealthCheck(`A health check with id ${id} does not exist.`, ctx.requestId);
    return hc;
  }

  private describeCheck(hc: HealthCheck): Record<string, unknown> {
    return {
      Id: hc.id,
      CallerReference: `sim-${hc.id}`,
      HealthCheckVersion: 1,
      HealthCheckConfig: hc.calculated
        ? { Type: "CALCULATED", HealthThreshold: 2, ChildHealthChecks: [`${hc.id}-endpoint`, `${hc.id}-kill-switch`], Inverted: hc.inverted, Disabled: hc.disabled }
        : {
            Type: "HTTPS",
            FullyQualifiedDomainName: hc.fqdn,
            ResourcePath: "/health",
            RequestInterval: Math.round(this.core.settings.route53.healthCheckIntervalMs / 1000),
            FailureThreshold: this.core.settings.route53.healthCheckFailureThreshold,
            Inverted: hc.inverted,
            Disabled: hc.disabled,
          },
    };
  }

  private getHealthCheckStatus(input: Input, ctx: CallContext): unknown {
    const hc = this.check(input, ctx);
    const status = hc.healthy ? "Success: HTTP Status Code 200, OK" : "Failure: health check is unhealthy";
    return {
      HealthCheckObservations: ["us-east-1", "eu-west-1", "ap-southeast-1"].map((Region) => ({
        Region,
        IPAddress: "192.0.2.1",
        StatusReport: { Status: status, CheckedTime: new Date(this.core.now()) },
      })),
    };
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
