// The small derivations the stacks rely on, each with the input that breaks it.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildIamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { parseConfigText, type Config } from "../../src/config/index.js";
import { partitionOf } from "../../infra/app.js";
import { checkDeployable, deployWarnings, roleFromArn } from "../../infra/checks.js";
import { wildcardAcknowledgements } from "../../infra/nag.js";
import { ecrRepositoryArn, egressPorts } from "../../infra/stacks/controller-service.js";

const example = (): Config => parseConfigText(readFileSync("config/example.yaml", "utf8"), "config/example.yaml").config;

describe("infra derivations", () => {
  it("opens egress only to 443 and the ports the http probes call", () => {
    const config = example();
    expect(egressPorts(config)).toEqual([443]);
    config.probes.push({ ...config.probes[0]!, url: "http://{region}.internal:8081/health" } as Config["probes"][number]);
    config.probes.push({ ...config.probes[0]!, url: "http://{region}.internal/health" } as Config["probes"][number]);
    expect(egressPorts(config)).toEqual([80, 443, 8081]);
  });

  it("scopes the image pull to a private ECR repository, and grants none for other registries", () => {
    expect(ecrRepositoryArn("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/failover:0.1.0", "aws")).toBe("arn:aws:ecr:us-east-1:123456789012:repository/team/failover");
    expect(ecrRepositoryArn("public.ecr.aws/acme/failover:0.1.0", "aws")).toBeUndefined();
    expect(ecrRepositoryArn("ghcr.io/acme/failover@sha256:" + "a".repeat(64), "aws")).toBeUndefined();
  });

  it("acknowledges exactly the wildcard resources of a generated policy, with the generator's reason", () => {
    const { controller, notes } = buildIamPolicies(iamPolicyInputFromConfig(example()));
    const acks = wildcardAcknowledgements(controller, notes);
    const wildcards = [...new Set(controller.Statement.flatMap((s) => s.Resource.filter((r) => r.includes("*"))))].sort();
    expect(acks.map((a) => a.id).sort()).toEqual(wildcards.map((r) => `AwsSolutions-IAM5[Resource::${r}]`));
    expect(acks.find((a) => a.id === "AwsSolutions-IAM5[Resource::arn:aws:route53:::change/*]")?.reason).toMatch(/only known once a change is submitted/);
    for (const a of acks) expect(a.reason).not.toMatch(/narrowest resource IAM allows/);
    // A statement that gains a wildcard gains an acknowledgement: none is missed silently.
    controller.Statement.push({ Sid: "Extra", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::bucket/*"] });
    expect(wildcardAcknowledgements(controller, notes).map((a) => a.id)).toContain("AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]");
  });

  it("finds the partition and the region of its global control planes", () => {
    expect(partitionOf("us-west-2")).toEqual({ partition: "aws", globalRegion: "us-east-1" });
    expect(partitionOf("us-gov-east-1")).toEqual({ partition: "aws-us-gov", globalRegion: "us-gov-west-1" });
    expect(partitionOf("cn-north-1").partition).toBe("aws-cn");
  });

  it("reads the runbook role's path and name from its ARN", () => {
    expect(roleFromArn("arn:aws:iam::123456789012:role/failover-payments-runbooks")).toEqual({ path: "/", name: "failover-payments-runbooks" });
    expect(roleFromArn("arn:aws:iam::123456789012:role/dr/runbooks")).toEqual({ path: "/dr/", name: "runbooks" });
  });

  it("names the region outside the MRSC region set, whichever field holds it", () => {
    const config = example();
    config.coordination.consistency = "strong";
    expect(checkDeployable(config, 100)).toEqual([]);
    config.regions = ["us-east-1", "eu-west-1"];
    config.deploy!.network["eu-west-1"] = config.deploy!.network["us-west-2"]!;
    delete config.deploy!.network["us-west-2"];
    expect(checkDeployable(config, 100).map((p) => p.path)).toEqual(["regions[1]"]);
  });

  it("refuses a runbook role in another account, and a config too large for an SSM parameter", () => {
    const config = example();
    config.runbooks.roleArn = "arn:aws:iam::999999999999:role/runbooks";
    expect(checkDeployable(config, 9000).map((p) => p.path)).toEqual(["runbooks.roleArn", ""]);
  });

  it("warns when a region's controller would pull its image from another region's registry", () => {
    const config = example();
    expect(deployWarnings(config)).toEqual([]);
    config.deploy!.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/failover:0.1.0";
    expect(deployWarnings(config)).toEqual([expect.stringMatching(/controllers of us-west-2, us-east-2 could not start a task while us-east-1 is down/)]);
    config.deploy!.image = "ghcr.io/acme/failover:0.1.0";
    expect(deployWarnings(config)).toEqual([]);
  });

  it("warns until traffic.healthChecks holds the ids Route 53 assigned", () => {
    const config = example();
    expect(deployWarnings(config)).toEqual([]);
    if (config.traffic.strategy !== "health-check") throw new Error("example uses health-check");
    config.traffic.healthChecks["us-west-2"] = "hc-orders-us-west-2";
    expect(deployWarnings(config)).toEqual([expect.stringMatching(/^traffic.healthChecks of us-west-2 are not Route 53 health check ids yet/)]);
  });
});
