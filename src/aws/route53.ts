// Route 53 adapter. Every Route 53 API call is control plane hosted in
// us-east-1 (reference/aws-apis.md): the client factory always builds this
// adapter on a us-east-1 client, whatever region the controller runs in.

import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
  type Route53Client,
} from "@aws-sdk/client-route-53";
import type { Region } from "../core/index.js";
import { awsCall, invalidResponse } from "./call.js";
import type { ChangeStatus, RecordChange, RecordSet, Route53Api } from "./ports.js";

/** Route 53 returns at most 300 record sets per page. */
const PAGE_SIZE = 300;
/** A zone of 10,000 records is 34 pages; more means a pagination loop, not a zone. */
const MAX_PAGES = 1_000;

const MANAGED_TYPES: ReadonlySet<string> = new Set(["A", "AAAA", "CNAME", "TXT"]);

export function createRoute53Adapter(client: Route53Client, region: Region): Route53Api {
  return {
    region,

    async changeResourceRecordSets({ hostedZoneId, changes, comment }) {
      const call = "route53:ChangeResourceRecordSets";
      const out = await awsCall(call, region, () =>
        client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            ChangeBatch: {
              ...(comment !== undefined && { Comment: comment }),
              Changes: changes.map(toSdkChange),
            },
          }),
        ),
      );
      const id = out.ChangeInfo?.Id;
      if (!id) throw invalidResponse(call, region, "response has no ChangeInfo.Id: the change cannot be followed");
      return { changeId: stripChangePrefix(id), status: parseChangeStatus(call, region, out.ChangeInfo?.Status) };
    },

    async getChange(changeId) {
      const call = "route53:GetChange";
      const out = await awsCall(call, region, () => client.send(new GetChangeCommand({ Id: changeId })));
      return parseChangeStatus(call, region, out.ChangeInfo?.Status);
    },

    async listResourceRecordSets(hostedZoneId, name) {
      const call = "route53:ListResourceRecordSets";
      const wanted = name === undefined ? undefined : normalizeName(name);
      const records: RecordSet[] = [];
      // No v3 paginator exists for this call: the next page starts at the
      // (name, type, set identifier) triple the previous page returned.
      let next: Pick<ListResourceRecordSetsCommandInput, "StartRecordName" | "StartRecordType" | "StartRecordIdentifier"> =
        name === undefined ? {} : { StartRecordName: name };
      const seen = new Set<string>();
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await awsCall(call, region, () =>
          client.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ...next, MaxItems: PAGE_SIZE })),
        );
        let passedWanted = false;
        for (const sdk of out.ResourceRecordSets ?? []) {
          if (wanted !== undefined && sdk.Name !== undefined && normalizeName(sdk.Name) !== wanted) {
            // Listing starts at StartRecordName and is sorted: the first other
            // name means every record of the wanted name has been seen.
            passedWanted = true;
            break;
          }
          const record = fromSdkRecord(sdk);
          if (record) records.push(record);
        }
        if (passedWanted || out.IsTruncated !== true) return records;
        if (!out.NextRecordName) {
          throw invalidResponse(call, region, "IsTruncated is true but NextRecordName is missing: cannot read the next page");
        }
        next = {
          StartRecordName: out.NextRecordName,
          ...(out.NextRecordType !== undefined && { StartRecordType: out.NextRecordType }),
          ...(out.NextRecordIdentifier !== undefined && { StartRecordIdentifier: out.NextRecordIdentifier }),
        };
        const token = `${out.NextRecordName}|${out.NextRecordType ?? ""}|${out.NextRecordIdentifier ?? ""}`;
        if (seen.has(token)) throw invalidResponse(call, region, `pagination repeats the page starting at ${token}`);
        seen.add(token);
      }
      throw invalidResponse(call, region, `more than ${MAX_PAGES} pages of record sets`);
    },
  };
}

function parseChangeStatus(call: "route53:ChangeResourceRecordSets" | "route53:GetChange", region: Region, status: string | undefined): ChangeStatus {
  if (status === "PENDING" || status === "INSYNC") return status;
  throw invalidResponse(call, region, `ChangeInfo.Status is ${status === undefined ? "missing" : JSON.stringify(status)}, expected PENDING or INSYNC`);
}

/** ChangeInfo.Id comes back as `/change/C123`; GetChange takes either form. */
function stripChangePrefix(id: string): string {
  return id.replace(/^\/change\//, "");
}

/** Route 53 names are case-insensitive and returned fully qualified (trailing dot). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

function toSdkChange(change: RecordChange): { Action: RecordChange["action"]; ResourceRecordSet: ResourceRecordSet } {
  const r = change.record;
  const set: ResourceRecordSet = {
    Name: r.name,
    Type: r.type,
    ...(r.setIdentifier !== undefined && { SetIdentifier: r.setIdentifier }),
    ...(r.failover !== undefined && { Failover: r.failover }),
    ...(r.weight !== undefined && { Weight: r.weight }),
    // The SDK types Region as a closed enum; Route 53 validates the value.
    ...(r.region !== undefined && { Region: r.region as ResourceRecordSet["Region"] }),
    ...(r.ttlSeconds !== undefined && { TTL: r.ttlSeconds }),
    ...(r.values !== undefined && { ResourceRecords: r.values.map((Value) => ({ Value })) }),
    ...(r.aliasTarget !== undefined && {
      AliasTarget: {
        HostedZoneId: r.aliasTarget.hostedZoneId,
        DNSName: r.aliasTarget.dnsName,
        EvaluateTargetHealth: r.aliasTarget.evaluateTargetHealth,
      },
    }),
    ...(r.healthCheckId !== undefined && { HealthCheckId: r.healthCheckId }),
  };
  return { Action: change.action, ResourceRecordSet: set };
}

/**
 * Undefined for record sets the controller does not manage (NS, SOA, MX...)
 * and for entries without a name: neither can be acted on.
 */
function fromSdkRecord(sdk: ResourceRecordSet): RecordSet | undefined {
  if (!sdk.Name || sdk.Type === undefined || !MANAGED_TYPES.has(sdk.Type)) return undefined;
  const alias = sdk.AliasTarget;
  const values = (sdk.ResourceRecords ?? []).map((r) => r.Value).filter((v): v is string => typeof v === "string");
  return {
    name: sdk.Name,
    type: sdk.Type as RecordSet["type"],
    ...(sdk.SetIdentifier !== undefined && { setIdentifier: sdk.SetIdentifier }),
    ...(sdk.Failover !== undefined && { failover: sdk.Failover }),
    ...(sdk.Weight !== undefined && { weight: sdk.Weight }),
    ...(sdk.Region !== undefined && { region: sdk.Region }),
    ...(sdk.TTL !== undefined && { ttlSeconds: sdk.TTL }),
    ...(sdk.ResourceRecords !== undefined && { values }),
    ...(alias?.DNSName !== undefined &&
      alias.HostedZoneId !== undefined && {
        aliasTarget: {
          hostedZoneId: alias.HostedZoneId,
          dnsName: alias.DNSName,
          evaluateTargetHealth: alias.EvaluateTargetHealth === true,
        },
      }),
    ...(sdk.HealthCheckId !== undefined && { healthCheckId: sdk.HealthCheckId }),
  };
}
