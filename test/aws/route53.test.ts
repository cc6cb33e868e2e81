import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  ThrottlingException,
} from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createRoute53Adapter } from "../../src/aws/route53.js";
import { CREDENTIALS, rejectsAwsCall } from "./fixtures.js";

const mock = mockClient(Route53Client);
const adapter = createRoute53Adapter(new Route53Client({ region: "us-east-1", credentials: CREDENTIALS }), "us-east-1");
const ZONE = "ZSANDBOX0000001";

beforeEach(() => mock.reset());

const listInputs = () => mock.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input);

describe("Route 53 adapter", () => {
  it("sends one atomic change batch with the exact record set", async () => {
    mock.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: "/change/C123", Status: "PENDING", SubmittedAt: new Date(0) } });
    const out = await adapter.changeResourceRecordSets({
      hostedZoneId: ZONE,
      comment: "incident i-1",
      changes: [
        {
          action: "UPSERT",
          record: {
            name: "orders.example.com",
            type: "A",
            setIdentifier: "us-west-2",
            failover: "PRIMARY",
            aliasTarget: { hostedZoneId: "Z2", dnsName: "lb.us-west-2.example.com", evaluateTargetHealth: true },
            healthCheckId: "hc-1",
          },
        },
        { action: "DELETE", record: { name: "old.example.com", type: "CNAME", ttlSeconds: 60, values: ["x.example.com"] } },
      ],
    });
    expect(out).toEqual({ changeId: "C123", status: "PENDING" });
    expect(mock.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input).toStrictEqual({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: "incident i-1",
        Changes: [
          {
            Action: "UPSERT",
            ResourceRecordSet: {
              Name: "orders.example.com",
              Type: "A",
              SetIdentifier: "us-west-2",
              Failover: "PRIMARY",
              AliasTarget: { HostedZoneId: "Z2", DNSName: "lb.us-west-2.example.com", EvaluateTargetHealth: true },
              HealthCheckId: "hc-1",
            },
          },
          {
            Action: "DELETE",
            ResourceRecordSet: { Name: "old.example.com", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: "x.example.com" }] },
          },
        ],
      },
    });
  });

  it("reads a change's status", async () => {
    mock.on(GetChangeCommand, { Id: "C123" }).resolves({ ChangeInfo: { Id: "/change/C123", Status: "INSYNC", SubmittedAt: new Date(0) } });
    await expect(adapter.getChange("C123")).resolves.toBe("INSYNC");
  });

  it("follows pagination with StartRecordName/Type/Identifier and keeps only managed types", async () => {
    mock
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [
          { Name: "example.com.", Type: "NS", ResourceRecords: [{ Value: "ns-1." }] },
          { Name: "a.example.com.", Type: "A", SetIdentifier: "use1", Failover: "PRIMARY", TTL: 60, ResourceRecords: [{ Value: "10.0.0.1" }] },
        ],
        IsTruncated: true,
        NextRecordName: "a.example.com.",
        NextRecordType: "A",
        NextRecordIdentifier: "usw2",
        MaxItems: 300,
      })
      .resolvesOnce({
        ResourceRecordSets: [{ Name: "a.example.com.", Type: "A", SetIdentifier: "usw2", Failover: "SECONDARY", TTL: 60, ResourceRecords: [{ Value: "10.0.0.2" }] }],
        IsTruncated: true,
        NextRecordName: "b.example.com.",
        NextRecordType: "TXT",
        MaxItems: 300,
      })
      .resolvesOnce({ ResourceRecordSets: [{ Name: "b.example.com.", Type: "TXT", ResourceRecords: [{ Value: '"v"' }] }], IsTruncated: false, MaxItems: 300 });

    const records = await adapter.listResourceRecordSets(ZONE);
    expect(records.map((r) => `${r.name}/${r.type}/${r.setIdentifier ?? ""}`)).toEqual([
      "a.example.com./A/use1",
      "a.example.com./A/usw2",
      "b.example.com./TXT/",
    ]);
    expect(records[1]).toEqual({ name: "a.example.com.", type: "A", setIdentifier: "usw2", failover: "SECONDARY", ttlSeconds: 60, values: ["10.0.0.2"] });
    expect(listInputs()).toStrictEqual([
      { HostedZoneId: ZONE, MaxItems: 300 },
      { HostedZoneId: ZONE, StartRecordName: "a.example.com.", StartRecordType: "A", StartRecordIdentifier: "usw2", MaxItems: 300 },
      { HostedZoneId: ZONE, StartRecordName: "b.example.com.", StartRecordType: "TXT", MaxItems: 300 },
    ]);
  });

  it("starts at the wanted name and stops at the first other name", async () => {
    mock.on(ListResourceRecordSetsCommand).resolvesOnce({
      ResourceRecordSets: [
        { Name: "Orders.Example.com.", Type: "CNAME", SetIdentifier: "use1", ResourceRecords: [{ Value: "use1.example.com" }] },
        { Name: "zzz.example.com.", Type: "A", ResourceRecords: [{ Value: "10.0.0.9" }] },
      ],
      IsTruncated: true,
      NextRecordName: "zzz2.example.com.",
      MaxItems: 300,
    });
    const records = await adapter.listResourceRecordSets(ZONE, "orders.example.com");
    expect(records.map((r) => r.setIdentifier)).toEqual(["use1"]);
    expect(listInputs()).toStrictEqual([{ HostedZoneId: ZONE, StartRecordName: "orders.example.com", MaxItems: 300 }]);
  });

  it("treats missing fields as empty and never throws a TypeError", async () => {
    mock.on(ListResourceRecordSetsCommand).resolvesOnce({}).resolvesOnce({ ResourceRecordSets: [{ Type: "A" } as never, { Name: "x.", Type: "A" }] });
    await expect(adapter.listResourceRecordSets(ZONE)).resolves.toEqual([]);
    await expect(adapter.listResourceRecordSets(ZONE)).resolves.toEqual([{ name: "x.", type: "A" }]);
  });

  it("refuses garbage the controller would act on", async () => {
    mock.on(ChangeResourceRecordSetsCommand).resolves({});
    const noChangeInfo = await rejectsAwsCall(adapter.changeResourceRecordSets({ hostedZoneId: ZONE, changes: [] }));
    expect(noChangeInfo).toMatchObject({ call: "route53:ChangeResourceRecordSets", region: "us-east-1", retryable: false, code: "InvalidResponse" });

    mock.on(GetChangeCommand).resolves({ ChangeInfo: { Id: "C1", Status: "DONE" as never, SubmittedAt: new Date(0) } });
    expect(await rejectsAwsCall(adapter.getChange("C1"))).toMatchObject({ call: "route53:GetChange", retryable: false });

    mock.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: true });
    expect((await rejectsAwsCall(adapter.listResourceRecordSets(ZONE))).message).toMatch(/NextRecordName is missing/);

    mock.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: true, NextRecordName: "a." });
    expect((await rejectsAwsCall(adapter.listResourceRecordSets(ZONE))).message).toMatch(/repeats/);
  });

  it("wraps throttling as a retryable AwsCallError naming call and region", async () => {
    mock.on(GetChangeCommand).rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }));
    const err = await rejectsAwsCall(adapter.getChange("C1"));
    expect(err).toMatchObject({ call: "route53:GetChange", region: "us-east-1", retryable: true, code: "ThrottlingException" });
    expect(err.message).toMatch(/route53:GetChange in us-east-1 failed: ThrottlingException: Rate exceeded/);
  });
});
