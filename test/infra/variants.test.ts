// Configs other than the two shipped ones: a strongly consistent (MRSC)
// control table, renamed resources (validate and the templates must move
// together), and the records strategy (no DNS stack: the controller owns
// the records).

import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { ResourceNames } from "../../src/config/index.js";
import { buildApp } from "../../infra/app.js";
import { parseDeployConfig } from "../../infra/load.js";
import { cli, tempFile } from "../helpers/cli.js";
import { resourcesOf, synth, type Synthesized } from "./fixture.js";

type Doc = Record<string, Record<string, unknown>>;
const example = (): Doc => parse(readFileSync("config/example.yaml", "utf8")) as Doc;

describe("a renamed, strongly consistent config with approvals over HTTP", () => {
  let s: Synthesized;
  let names: ResourceNames;
  let file: string;
  beforeAll(async () => {
    const doc = example();
    doc.coordination!.consistency = "strong";
    doc.coordination!.table = "payments-lease";
    doc.runbooks!.stateMachinePrefix = "pay-runbooks";
    doc.traffic!.record = "api.example.com";
    doc.deploy!.approvals = { tokenParameter: "/failover/payments/api-token", allowFrom: ["10.20.0.0/16"] };
    const text = stringify(doc);
    file = tempFile(text);
    const out = await cli(["validate", "--config", file, "--json"]);
    expect(out.code, out.stderr).toBe(0);
    names = (JSON.parse(out.stdout) as { names: ResourceNames }).names;
    s = await synth(text, file);
  }, 180_000);

  it("moves validate's names and the templates' names together", () => {
    expect(names.controlTable.name).toBe("payments-lease");
    expect(resourcesOf(s, "AWS::DynamoDB::GlobalTable").map((t) => t.props.TableName)).toEqual([names.controlTable.name]);
    const machines = resourcesOf(s, "AWS::StepFunctions::StateMachine").map((m) => m.props.StateMachineName).sort();
    expect(machines).toEqual(Object.values(names.stateMachines).flat().sort());
    expect(machines.every((n) => String(n).startsWith("pay-runbooks-"))).toBe(true);
    expect(resourcesOf(s, "AWS::Route53::RecordSet").map((r) => r.props.Name)).toEqual(["api.example.com", "api.example.com"]);
    // No resource keeps an old name (the SSM parameter carries the new config only).
    const everything = JSON.stringify(s.json);
    for (const old of ['"failover-control"', 'table/failover-control"', 'failover-payments-failover"', '"payments.example.com"']) {
      expect(everything.includes(old), old).toBe(false);
    }
    // The same probe finds the new names, so it is not blind.
    for (const now of ['"payments-lease"', 'table/payments-lease"', 'pay-runbooks-failover"', '"api.example.com"']) expect(everything.includes(now), now).toBe(true);
  });

  it("creates one MRSC global table over the three regions: PITR and deletion protection on every replica, RETAIN", () => {
    expect(resourcesOf(s, "AWS::DynamoDB::Table")).toEqual([]);
    const [table, ...more] = resourcesOf(s, "AWS::DynamoDB::GlobalTable");
    expect(more).toEqual([]);
    expect(table?.stack).toBe("payments-failover-us-east-2");
    expect(table?.raw.DeletionPolicy).toBe("Retain");
    expect(table?.raw.UpdateReplacePolicy).toBe("Retain");
    expect(table?.props.MultiRegionConsistency).toBe("STRONG");
    const replicas = table?.props.Replicas as { Region: string; PointInTimeRecoverySpecification: unknown; DeletionProtectionEnabled: boolean }[];
    expect(replicas.map((r) => r.Region).sort()).toEqual(["us-east-1", "us-east-2", "us-west-2"]);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(r.DeletionProtectionEnabled).toBe(true);
    }
  });

  it("still gives the controller exactly the `failover iam-policy` statements (control table in every replica region)", async () => {
    const printed = JSON.parse((await cli(["iam-policy", "--config", file])).stdout) as { controller: { Statement: { Sid: string; Resource: string[] }[] } };
    const role = resourcesOf(s, "AWS::IAM::Role").find((r) => r.props.RoleName === "payments-failover-controller");
    const doc = (role?.props.Policies as { PolicyDocument: unknown }[])[0]?.PolicyDocument;
    expect(doc).toEqual(printed.controller);
    const control = printed.controller.Statement.find((st) => st.Sid === "DynamoDbControlTable");
    expect(control?.Resource).toHaveLength(3);
  });

  it("opens the daemon's port to those networks only, with the token from the SecureString parameter", () => {
    for (const region of ["us-east-1", "us-west-2", "us-east-2"]) {
      const stack = `payments-failover-${region}`;
      const [sg] = resourcesOf(s, "AWS::EC2::SecurityGroup").filter((r) => r.stack === stack);
      expect(sg?.props.SecurityGroupIngress).toEqual([expect.objectContaining({ CidrIp: "10.20.0.0/16", FromPort: 8080, ToPort: 8080, IpProtocol: "tcp" })]);
      const [task] = resourcesOf(s, "AWS::ECS::TaskDefinition").filter((r) => r.stack === stack);
      const container = (task?.props.ContainerDefinitions as { Secrets: unknown[]; Command: string[] }[])[0]!;
      const tokenArn = `arn:aws:ssm:${region}:123456789012:parameter/failover/payments/api-token`;
      expect(container.Secrets).toContainEqual({ Name: "FAILOVER_API_TOKEN", ValueFrom: tokenArn });
      expect(container.Command[0]).toMatch(/ --host 0\.0\.0\.0$/);
      const [role] = resourcesOf(s, "AWS::IAM::Role").filter((r) => r.stack === stack);
      const statements = (role?.props.Policies as { PolicyDocument: { Statement: { Sid: string; Resource: string[] }[] } }[])[0]!.PolicyDocument.Statement;
      expect(statements.find((st) => st.Sid === "ReadConfig")?.Resource).toContain(tokenArn);
    }
    // The parameter itself is the user's: the templates never create it or hold its value.
    expect(resourcesOf(s, "AWS::SSM::Parameter").map((p) => p.props.Name)).toEqual(["/failover/payments/config", "/failover/payments/config", "/failover/payments/config"]);
  });
});

describe("the records strategy", () => {
  it("creates no DNS stack: the controller UPSERTs the records, and a stack holding them would revert a failover", async () => {
    const doc = example();
    doc.traffic = { strategy: "records", hostedZoneId: "Z0123456789ABCDEFGHIJ", record: "payments.example.com", target: "{region}.lb.example.com", routing: "failover" };
    delete doc.deploy!.recordTarget;
    const built = buildApp(await parseDeployConfig(stringify(doc), "records.yaml"), { securityChecks: false });
    expect(built.dns).toBeUndefined();
    expect(built.stacks.map((st) => st.stackName)).not.toContain("payments-failover-dns");
    // The variant keeps every other stack: same regions, no kill-switch alarm.
    expect(Object.keys(built.regions).sort()).toEqual(["us-east-1", "us-east-2", "us-west-2"]);
    expect(built.regions["us-east-1"]?.node.tryFindChild("KillSwitchAlarm")).toBeUndefined();
  });
});
