// What `infra synth` refuses before it creates a single construct: a config
// that is valid for the controller but cannot be deployed as written. Each
// problem names its field path (the loader adds file and line), the same
// way `failover validate` reports, so nothing is half-synthesized.

import { controllerRegions, type Config } from "../src/config/index.js";
import type { ConfigErrorDetail } from "../src/core/index.js";

export type DeployProblem = Omit<ConfigErrorDetail, "file" | "line">;

/** DynamoDB multi-region strong consistency: all three regions in one of these sets. */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ["us-east-1", "us-east-2", "us-west-2"],
  EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
  AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

/** Route 53 hosted zone ids: "Z" and upper-case letters or digits, without the "/hostedzone/" prefix. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** Standard SSM parameters hold 4 KB, advanced ones 8 KB. */
export const SSM_ADVANCED_MAX_BYTES = 8192;

export function checkDeployable(config: Config, configBytes: number): DeployProblem[] {
  const problems: DeployProblem[] = [];
  const fail = (path: string, expected: string) => problems.push({ path, expected });
  const { deploy, traffic, coordination, runbooks } = config;
  const regions = controllerRegions(config);

  if (!deploy) {
    fail("deploy", "a deploy section (image, and network per region: vpcId, subnetIds) to synthesize templates; see config/example.yaml");
  } else {
    for (const r of regions) {
      if (!deploy.network[r]) fail(`deploy.network.${r}`, `the VPC and subnet ids the controller of ${r} runs in (the templates never create a network)`);
    }
    for (const r of Object.keys(deploy.network)) {
      if (!regions.includes(r)) fail(`deploy.network.${r}`, `a key that is a controller region (${regions.join(", ")})`);
    }
    if (traffic.strategy === "health-check" && deploy.recordTarget === undefined) {
      fail("deploy.recordTarget", 'the CNAME target of each region\'s failover record, e.g. "{region}.payments.example.com" (strategy health-check)');
    } else if (deploy.recordTarget !== undefined && !deploy.recordTarget.includes("{region}")) {
      fail("deploy.recordTarget", 'a template containing "{region}" so each region\'s record points at its own endpoint');
    }
  }

  // Guarded with `in`: a traffic strategy without a hosted zone needs no check here.
  const zone = "hostedZoneId" in traffic ? traffic.hostedZoneId : undefined;
  if (zone !== undefined && !HOSTED_ZONE_ID.test(zone)) {
    const hint = zone.includes("/") ? ' (leave out the "/hostedzone/" prefix)' : "";
    fail("traffic.hostedZoneId", `a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"${hint}, got ${JSON.stringify(zone)}`);
  }
  if (traffic.strategy === "health-check") {
    if (config.regions.length !== 2) {
      fail("regions", `exactly two app regions for strategy health-check: Route 53 failover routing has one PRIMARY and one SECONDARY record (this config has ${config.regions.length})`);
    }
    const delayMs = traffic.killSwitch.alarmDelay;
    if (delayMs < 60_000 || delayMs % 60_000 !== 0) {
      fail("traffic.killSwitch.alarmDelay", "a whole number of minutes (60s, 120s, ...): a CLOUDWATCH_METRIC health check needs a standard-resolution alarm, whose period is 60 s");
    }
  }

  if (coordination.consistency === "strong") {
    // The set most of the regions are in is the intended one; the others are named.
    const ranked = Object.entries(MRSC_REGION_SETS)
      .map(([name, rs]) => ({ name, rs, n: regions.filter((r) => rs.includes(r)).length }))
      .sort((a, b) => b.n - a.n);
    const best = ranked[0];
    const sets = Object.entries(MRSC_REGION_SETS).map(([n, rs]) => `${n}: ${rs.join(", ")}`).join("; ");
    if (!best || best.n === 0) {
      fail("coordination.consistency", `"strong" only where DynamoDB offers multi-region strong consistency: three regions of one region set (${sets}), or "single-region"`);
    } else {
      for (const r of regions.filter((x) => !best.rs.includes(x))) {
        const path = r === config.witness ? "witness" : `regions[${config.regions.indexOf(r)}]`;
        fail(path, `a region of the ${best.name} region set (${best.rs.join(", ")}) like the others: a multi-region strongly consistent table spans one region set, and ${r} is outside it`);
      }
    }
  }

  if (runbooks.stateMachinePrefix === undefined) {
    fail("runbooks.stateMachinePrefix", "the state machine name prefix: the templates deploy every runbook as <prefix>-<runbook>");
  }
  if (runbooks.roleArn === undefined) {
    fail("runbooks.roleArn", "the runbook role ARN: the templates create this role with exactly the `failover iam-policy` runbook policy");
  } else {
    const m = ROLE_ARN.exec(runbooks.roleArn);
    if (!m) fail("runbooks.roleArn", `an IAM role ARN such as "arn:aws:iam::${config.accountId}:role/${config.application}-runbooks"`);
    else if (m[2] !== config.accountId) fail("runbooks.roleArn", `a role in accountId ${config.accountId} (the templates create it), got one in ${m[2] ?? "?"}`);
  }
  if (configBytes > SSM_ADVANCED_MAX_BYTES) {
    fail("", `a config of at most ${SSM_ADVANCED_MAX_BYTES} bytes as compact JSON (it is delivered through an SSM parameter); this one is ${configBytes}`);
  }
  return problems;
}

/**
 * Deployable but fragile: a controller whose image lives in another
 * region's registry cannot (re)start while that region is down, which is
 * exactly when it is needed.
 */
export function deployWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const image = config.deploy?.image;
  const home = image && !image.includes("{region}") ? /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(image)?.[1] : undefined;
  const others = home ? controllerRegions(config).filter((r) => r !== home) : [];
  if (home && others.length > 0) {
    warnings.push(
      `deploy.image is in ${home}'s ECR registry: the controllers of ${others.join(", ")} could not start a task while ${home} is down; replicate the repository (ECR replication) and write "{region}" in deploy.image`,
    );
  }
  // Route 53 assigns health check ids at creation: until they are copied
  // from the DNS stack's outputs, the drill reads the status of nothing.
  const t = config.traffic;
  if (t.strategy === "health-check") {
    const notIds = Object.entries(t.healthChecks).filter(([, id]) => !HEALTH_CHECK_ID.test(id)).map(([r]) => r);
    if (notIds.length > 0) {
      warnings.push(`traffic.healthChecks of ${notIds.join(", ")} are not Route 53 health check ids yet: after the first deploy, copy the HealthCheckId outputs of the DNS stack there and deploy again`);
    }
  }
  return warnings;
}

const HEALTH_CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Path and name of the runbook role from its ARN (checked above). */
export function roleFromArn(arn: string): { path: string; name: string } {
  const m = ROLE_ARN.exec(arn);
  return { path: `/${m?.[3] ?? ""}`, name: m?.[4] ?? "" };
}
