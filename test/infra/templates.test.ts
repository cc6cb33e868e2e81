// The templates synthesized from config/example.yaml and config/sandbox.yaml
// (the sandbox has no deploy section, being a simulated world: the test adds
// one): every resource with its key properties, the roles exactly as
// `failover iam-policy` prints them, the runbooks byte for byte, no literal
// secret, and the names `failover validate` reports.

import { readFileSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { ResourceNames } from "../../src/config/index.js";
import { cli, tempFile } from "../helpers/cli.js";
import { deployBlock, resourcesOf, synth, type Synthesized } from "./fixture.js";
import { findSecrets } from "./secrets-scan.js";
import { fakeAccessKeyId, fakeSecretAccessKey } from "../helpers/credential-shaped.js";

const SYNTH_TIMEOUT_MS = 180_000;

const CASES = [
  { name: "config/example.yaml", text: () => readFileSync("config/example.yaml", "utf8") },
  {
    name: "config/sandbox.yaml",
    text: () => readFileSync("config/sandbox.yaml", "utf8") + deployBlock(["us-east-1", "us-west-2", "us-east-2"], "{region}.orders.sandbox.internal"),
  },
];

describe.each(CASES)("infra synth of $name", ({ text }) => {
  let s: Synthesized;
  let file: string;
  beforeAll(async () => {
    file = tempFile(text());
    s = await synth(text(), file);
  }, SYNTH_TIMEOUT_MS);

  const app = () => s.input.config.application;
  const config = () => s.input.config;

  it("has the IAM stack, one stack per controller region, and the DNS stack", () => {
    const regions = [...config().regions, config().witness].filter((r): r is string => r !== undefined);
    expect(Object.keys(s.json).sort()).toEqual([`${app()}-failover-dns`, `${app()}-failover-iam`, ...regions.map((r) => `${app()}-failover-${r}`)].sort());
    for (const r of regions) expect(s.built.regions[r]?.region).toBe(r);
    expect(s.built.dns?.region).toBe("us-east-1");
  });

  it("creates the control table only in the coordination region: PITR, deletion protection, RETAIN", () => {
    const tables = resourcesOf(s, "AWS::DynamoDB::Table");
    expect(tables).toHaveLength(1);
    expect(tables[0]?.stack).toBe(`${app()}-failover-${config().coordination.region}`);
    s.template(`${app()}-failover-${config().coordination.region}`).hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        TableName: config().coordination.table,
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
    expect(resourcesOf(s, "AWS::DynamoDB::GlobalTable")).toHaveLength(0);
  });

  it("has a kill-switch alarm per app region whose missing data is breaching", () => {
    const t = config().traffic;
    if (t.strategy !== "health-check") throw new Error("both configs use the health-check strategy");
    for (const region of config().regions) {
      s.template(`${app()}-failover-${region}`).hasResourceProperties("AWS::CloudWatch::Alarm", {
        AlarmName: `${app()}-kill-switch-${region}`,
        Namespace: t.killSwitch.namespace,
        MetricName: t.killSwitch.metricName,
        Dimensions: [{ Name: "Region", Value: region }],
        ComparisonOperator: "LessThanThreshold",
        Threshold: 1,
        // One 0 in a period breaches: a cut-off controller's withdrawal is not cancelled by another's 1.
        Statistic: "Minimum",
        Period: 60,
        EvaluationPeriods: t.killSwitch.alarmDelay / 60_000,
        TreatMissingData: "breaching",
      });
    }
    expect(resourcesOf(s, "AWS::CloudWatch::Alarm").map((a) => a.stack).sort()).toEqual(config().regions.map((r) => `${app()}-failover-${r}`).sort());
  });

  it("has a CLOUDWATCH_METRIC health check per app region (insufficient data explicit) and the failover records", () => {
    const dns = s.template(`${app()}-failover-dns`);
    const t = config().traffic;
    config().regions.forEach((region, i) => {
      dns.hasResourceProperties("AWS::Route53::HealthCheck", {
        HealthCheckConfig: {
          Type: "CLOUDWATCH_METRIC",
          AlarmIdentifier: { Name: `${app()}-kill-switch-${region}`, Region: region },
          InsufficientDataHealthStatus: "LastKnownStatus",
        },
      });
      dns.hasResourceProperties("AWS::Route53::RecordSet", {
        HostedZoneId: t.hostedZoneId,
        Name: t.record,
        Type: "CNAME",
        Failover: i === 0 ? "PRIMARY" : "SECONDARY",
        SetIdentifier: `${app()}-${region}`,
        HealthCheckId: { "Fn::GetAtt": [Match.stringLikeRegexp(`^HealthCheck${region.replaceAll("-", "")}`), "HealthCheckId"] },
        ResourceRecords: [config().deploy?.recordTarget?.replace("{region}", region)],
        TTL: String(t.ttl / 1000),
      });
    });
    dns.resourceCountIs("AWS::Route53::HealthCheck", 2);
    dns.resourceCountIs("AWS::Route53::RecordSet", 2);
  });

  it("deploys each runbook byte for byte as a Standard state machine in every app region, with the runbook role", () => {
    const machines = resourcesOf(s, "AWS::StepFunctions::StateMachine");
    expect(machines).toHaveLength(3 * config().regions.length);
    for (const [runbook, path] of Object.entries({ failover: config().runbooks.failover, switchover: config().runbooks.switchover, failback: config().runbooks.failback })) {
      const bytes = readFileSync(path, "utf8");
      const mine = machines.filter((m) => m.props.StateMachineName === `${config().runbooks.stateMachinePrefix}-${runbook}`);
      expect(mine.map((m) => m.stack).sort()).toEqual(config().regions.map((r) => `${app()}-failover-${r}`).sort());
      // Byte for byte, not just the same JSON: a reformatted copy would not pass.
      expect(JSON.stringify(JSON.parse(bytes))).not.toBe(bytes);
      for (const m of mine) {
        expect(m.props.DefinitionString).toBe(bytes);
        expect(m.props.StateMachineType).toBe("STANDARD");
        expect(m.props.RoleArn).toBe(config().runbooks.roleArn);
      }
    }
  });

  it("gives the controller and runbook roles exactly the statements `failover iam-policy` prints", async () => {
    const out = await cli(["iam-policy", "--config", file]);
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as { controller: unknown; runbook: unknown };
    const iam = s.json[`${app()}-failover-iam`]!;
    const roles = Object.values(iam.Resources).filter((r) => r.Type === "AWS::IAM::Role");
    const policyOf = (roleName: string) => {
      const role = roles.find((r) => r.Properties?.RoleName === roleName);
      return (role?.Properties?.Policies as { PolicyDocument: unknown }[] | undefined)?.[0]?.PolicyDocument;
    };
    expect(policyOf(`${app()}-failover-controller`)).toEqual(printed.controller);
    expect(policyOf(config().runbooks.roleArn!.split("/").at(-1)!)).toEqual(printed.runbook);
    // Each role has that one inline policy and no managed policy that could widen it.
    for (const r of roles) {
      expect(r.Properties?.Policies).toHaveLength(1);
      expect(r.Properties?.ManagedPolicyArns).toBeUndefined();
    }
    // The comparison is sensitive: one more app table in the config changes the printed policy.
    const wider = await cli(["iam-policy", "--config", tempFile(text().replace("tables: [", "tables: [extra-table, "))]);
    expect((JSON.parse(wider.stdout) as { controller: unknown }).controller).not.toEqual(policyOf(`${app()}-failover-controller`));
  });

  it("runs one Fargate task per controller region in the configured network, config from SSM, health check on /healthz", () => {
    for (const [region, net] of Object.entries(config().deploy!.network)) {
      const t = s.template(`${app()}-failover-${region}`);
      t.hasResourceProperties("AWS::ECS::Service", {
        LaunchType: "FARGATE",
        DesiredCount: 1,
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: net.subnetIds, AssignPublicIp: "DISABLED" } },
      });
      t.hasResourceProperties("AWS::EC2::SecurityGroup", { VpcId: net.vpcId, SecurityGroupIngress: Match.absent() });
      t.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: config().deploy!.logRetentionDays });
      t.hasResourceProperties("AWS::ECS::TaskDefinition", {
        RequiresCompatibilities: ["FARGATE"],
        TaskRoleArn: `arn:aws:iam::${config().accountId}:role/${app()}-failover-controller`,
        ContainerDefinitions: [
          Match.objectLike({
            Image: config().deploy!.image.replace("{region}", region),
            HealthCheck: Match.objectLike({ Command: Match.arrayWith([Match.stringLikeRegexp("/healthz")]) }),
            Secrets: [{ Name: "FAILOVER_CONFIG", ValueFrom: `arn:aws:ssm:${region}:${config().accountId}:parameter/failover/${app()}/config` }],
            Command: [Match.stringLikeRegexp(`--region ${region} `)],
            LogConfiguration: Match.objectLike({ LogDriver: "awslogs" }),
          }),
        ],
      });
      // Without deploy.approvals the daemon stays on 127.0.0.1 with no token and no ingress.
      const [task] = resourcesOf(s, "AWS::ECS::TaskDefinition").filter((r) => r.stack === `${app()}-failover-${region}`);
      expect(JSON.stringify(task?.props)).not.toMatch(/0\.0\.0\.0|FAILOVER_API_TOKEN/);
      const params = resourcesOf(s, "AWS::SSM::Parameter").filter((p) => p.stack === `${app()}-failover-${region}`);
      expect(params).toHaveLength(1);
      // The delivered config is the file's data (comments dropped).
      expect(JSON.parse(params[0]!.props.Value as string)).toEqual(parseYaml(text()));
    }
  });

  it("never creates what the user owns: no VPC, subnet, hosted zone, database or app table", () => {
    const all = Object.values(s.json).flatMap((t) => Object.values(t.Resources));
    const owned = /^AWS::(EC2::(VPC|Subnet|InternetGateway|NatGateway)|Route53::HostedZone|RDS::|DynamoDB::GlobalTable)/;
    const ownedTypes = (resources: { Type: string }[]) => resources.filter((r) => owned.test(r.Type)).map((r) => r.Type);
    expect(ownedTypes(all)).toEqual([]);
    expect(ownedTypes([...all, { Type: "AWS::EC2::VPC" }, { Type: "AWS::RDS::DBCluster" }])).toEqual(["AWS::EC2::VPC", "AWS::RDS::DBCluster"]);
    const tableNames = resourcesOf(s, "AWS::DynamoDB::Table").map((t) => t.props.TableName);
    for (const appTable of config().dynamodb.tables) expect(tableNames).not.toContain(appTable);
  });

  it("holds no literal credential or secret in any template", () => {
    for (const [name, t] of Object.entries(s.json)) expect(findSecrets(JSON.stringify(t)), name).toEqual([]);
    // The scan is not blind: a key planted in a copy of a real template is found.
    const planted = JSON.stringify(s.json[`${app()}-failover-iam`]).replace(app(), fakeAccessKeyId());
    expect(findSecrets(planted)).toEqual([expect.stringMatching(/access key id/)]);
    expect(findSecrets(`{"Value":"${fakeSecretAccessKey()}"}`)).toEqual([expect.stringMatching(/secret access key/)]);
    expect(findSecrets(`{"DbPassword":"hunter22"}`)).toEqual([expect.stringMatching(/secret-named/)]);
  });

  it("uses the names `failover validate` reports", async () => {
    const out = await cli(["validate", "--config", file, "--json"]);
    const names = (JSON.parse(out.stdout) as { names: ResourceNames }).names;
    expect(names).toBeTruthy();
    const props = (type: string, key: string) => resourcesOf(s, type).map((r) => r.props[key]).sort();
    expect(props("AWS::DynamoDB::Table", "TableName")).toEqual([names.controlTable.name]);
    expect(props("AWS::CloudWatch::Alarm", "AlarmName")).toEqual(Object.values(names.killSwitchAlarms).sort());
    expect(resourcesOf(s, "AWS::Route53::HealthCheck").map((h) => (h.props.HealthCheckTags as { Value: string }[])[0]?.Value).sort()).toEqual(Object.values(names.healthChecks).sort());
    expect(props("AWS::Route53::RecordSet", "SetIdentifier")).toEqual(names.records.map((r) => r.setIdentifier).sort());
    expect(props("AWS::StepFunctions::StateMachine", "StateMachineName")).toEqual(Object.values(names.stateMachines).flat().sort());
    expect(props("AWS::SSM::Parameter", "Name")).toEqual(Object.keys(config().deploy!.network).map(() => names.configParameter));
    expect(props("AWS::ECS::Service", "ServiceName")).toEqual(Object.keys(config().deploy!.network).map(() => names.service));
  });
});
