import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { controlRegionFor, parseConfigText, replicaRegions } from "../../src/config/index.js";
import { lineOf, problemsOf } from "./helpers.js";

const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");

const pathsOf = (text: string) => problemsOf(text).issues.map((i) => i.path);
const issueAt = (text: string, path: string) => problemsOf(text).issues.find((i) => i.path === path);

/** The sandbox with three app regions and no witness (MRSC-shaped). */
const THREE_APPS = SANDBOX.replace("regions: [us-east-1, us-west-2]", "regions: [us-east-1, us-west-2, eu-west-1]")
  .replace(/^witness: us-east-2.*\n/m, "")
  .replace("    us-west-2: hc-orders-us-west-2\n", "    us-west-2: hc-orders-us-west-2\n    eu-west-1: hc-orders-eu-west-1\n")
  .replace(
    "    us-west-2: arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2\n",
    "    us-west-2: arn:aws:rds:us-west-2:111122223333:cluster:orders-usw2\n    eu-west-1: arn:aws:rds:eu-west-1:111122223333:cluster:orders-euw1\n",
  )
  .replace("region: us-east-2 ", "region: eu-west-1 ");

describe("cross-field checks", () => {
  it("refuses a region listed twice, naming the duplicate's index", () => {
    const text = SANDBOX.replace("regions: [us-east-1, us-west-2]", "regions: [us-east-1, us-west-2, us-east-1]");
    expect(issueAt(text, "regions[2]")).toMatchObject({ line: lineOf(SANDBOX, "regions:"), expected: 'unique regions ("us-east-1" is listed twice)' });
  });

  it("needs aurora.clusters to match the app regions exactly", () => {
    const missing = SANDBOX.replace(/^ {4}us-west-2: arn:aws:rds.*\n/m, "");
    expect(issueAt(missing, "aurora.clusters.us-west-2")).toMatchObject({ line: lineOf(SANDBOX, "  clusters:"), expected: expect.stringMatching(/member cluster ARN of app region us-west-2/) });
    const extra = SANDBOX.replace("    us-west-2: arn:aws:rds:us-west-2", "    eu-west-1: arn:aws:rds:eu-west-1:111122223333:cluster:x\n    us-west-2: arn:aws:rds:us-west-2");
    expect(issueAt(extra, "aurora.clusters.eu-west-1")?.expected).toMatch(/a key that is an app region/);
  });

  it("needs a traffic health check for every app region, and only for app regions", () => {
    const missing = SANDBOX.replace(/^ {4}us-west-2: hc-orders-us-west-2\n/m, "");
    expect(issueAt(missing, "traffic.healthChecks.us-west-2")).toMatchObject({ line: lineOf(SANDBOX, "  healthChecks:") });
    const witness = SANDBOX.replace("    us-west-2: hc-orders-us-west-2", "    us-west-2: hc-orders-us-west-2\n    us-east-2: hc-witness");
    expect(issueAt(witness, "traffic.healthChecks.us-east-2")).toMatchObject({ line: lineOf(SANDBOX, "us-west-2: hc-orders-us-west-2") + 1 });
  });

  it("needs route53-health-check probes to cover every app region", () => {
    const text = SANDBOX.replace("  - kind: aurora\n", "  - kind: route53-health-check\n    healthChecks: { us-east-1: hc-1 }\n  - kind: aurora\n");
    expect(issueAt(text, "probes[1].healthChecks.us-west-2")?.expected).toBe("a health check id for app region us-west-2");
  });

  it("refuses a route53-health-check probe on the traffic health checks, which follow the kill switch", () => {
    const text = SANDBOX.replace("  - kind: aurora\n", "  - kind: route53-health-check\n    healthChecks: { us-east-1: hc-orders-us-east-1, us-west-2: hc-endpoint-usw2 }\n  - kind: aurora\n");
    expect(issueAt(text, "probes[1].healthChecks.us-east-1")?.expected).toBe("an endpoint-only health check, not hc-orders-us-east-1 from traffic.healthChecks (it follows the kill switch)");
    expect(issueAt(text, "probes[1].healthChecks.us-west-2")).toBeUndefined();
  });

  it("needs coordination.region to be the witness or an app region", () => {
    const text = SANDBOX.replace("region: us-east-2 ", "region: eu-west-1 ");
    expect(issueAt(text, "coordination.region")).toMatchObject({ line: lineOf(SANDBOX, "region: us-east-2 "), expected: "an app region or the witness (us-east-1, us-west-2, us-east-2)" });
  });

  it("accepts an MRSC store over exactly three regions, and refuses it over two or four", () => {
    expect(parseConfigText(THREE_APPS.replace("consistency: single-region", "consistency: strong"), "c").config.coordination.consistency).toBe("strong");
    const noWitness = SANDBOX.replace(/^witness: us-east-2.*\n/m, "").replace("region: us-east-2 ", "region: us-east-1 ").replace("quorum: 2 ", "quorum: 2 ");
    expect(issueAt(noWitness.replace("consistency: single-region", "consistency: strong"), "coordination.consistency")?.expected).toMatch(/^exactly three regions .* this config has 2/);
    const four = THREE_APPS.replace(/^regions:.*$/m, "$&\nwitness: us-east-2").replace("consistency: single-region", "consistency: strong").replace("quorum: 2 ", "quorum: 3 ");
    expect(pathsOf(four)).toEqual(["coordination.consistency"]);
  });

  it("MRSC replicas: each controller talks to its own region's replica; a region without one (an MRSC witness) to coordination.region", () => {
    const strong = SANDBOX.replace("consistency: single-region", "consistency: strong");
    const three = parseConfigText(strong, "c").config;
    expect(replicaRegions(three)).toEqual(["us-east-1", "us-west-2", "us-east-2"]);
    expect(["us-east-1", "us-west-2", "us-east-2"].map((r) => controlRegionFor(three, r))).toEqual(["us-east-1", "us-west-2", "us-east-2"]);
    const two = parseConfigText(strong.replace("consistency: strong", "consistency: strong\n  replicas: [us-east-1, us-west-2]").replace("region: us-east-2 ", "region: us-west-2 "), "c").config;
    expect(["us-east-1", "us-west-2", "us-east-2"].map((r) => controlRegionFor(two, r))).toEqual(["us-east-1", "us-west-2", "us-west-2"]);
    // A single-region table: everyone talks to the one region.
    const single = parseConfigText(SANDBOX, "c").config;
    expect(["us-east-1", "us-west-2"].map((r) => controlRegionFor(single, r))).toEqual(["us-east-2", "us-east-2"]);
    // coordination.region without a replica, an unknown replica, and replicas on a non-MRSC table are refused.
    expect(issueAt(strong.replace("consistency: strong", "consistency: strong\n  replicas: [us-east-1, us-west-2]"), "coordination.region")?.expected).toMatch(/one of coordination.replicas/);
    expect(issueAt(strong.replace("consistency: strong", "consistency: strong\n  replicas: [us-east-1, eu-west-1]"), "coordination.replicas[1]")?.expected).toMatch(/regions of the config/);
    expect(issueAt(SANDBOX.replace("consistency: single-region", "consistency: single-region\n  replicas: [us-east-1, us-east-2]"), "coordination.replicas")?.expected).toMatch(/only a "strong" \(MRSC\) table/);
  });

  it("refuses engine step-functions unless the control table is MRSC with a replica in every app region, and says why", () => {
    const sfn = SANDBOX.replace("engine: local", "engine: step-functions");
    expect(issueAt(sfn, "coordination.consistency")?.expected).toMatch(/^"strong" with a replica in every app region .* calls only its own region/);
    const strong = sfn.replace("consistency: single-region", "consistency: strong");
    expect(parseConfigText(strong, "c").config.runbooks.engine).toBe("step-functions");
    const twoReplicas = strong.replace("consistency: strong", "consistency: strong\n  replicas: [us-east-1, us-east-2]");
    expect(issueAt(twoReplicas, "coordination.replicas")?.expected).toMatch(/missing: us-west-2/);
    // The same two-replica table is fine for the local engine (the controller reaches it from any region).
    expect(parseConfigText(twoReplicas.replace("engine: step-functions", "engine: local").replace("region: us-east-2 ", "region: us-east-1 "), "c").config.coordination.replicas).toEqual(["us-east-1", "us-east-2"]);
  });

  it("refuses a quorum larger than the observers", () => {
    expect(issueAt(SANDBOX.replace("quorum: 2 ", "quorum: 4 "), "policy.quorum")?.expected).toBe("at most the number of observers (3: us-east-1, us-west-2, us-east-2)");
  });

  it("refuses a minority quorum in automatic mode (split brain), allows it in manual mode", () => {
    const minority = SANDBOX.replace("quorum: 2 ", "quorum: 1 ");
    expect(issueAt(minority, "policy.quorum")?.expected).toMatch(/majority of the 3 observers \(at least 2\).*partition/);
    expect(parseConfigText(minority.replace("mode: automatic", "mode: manual"), "c").config.policy.quorum).toBe(1);
    // Four observers: two is exactly half, which is not a majority either.
    const four = THREE_APPS.replace(/^regions:.*$/m, "$&\nwitness: us-east-2").replace("region: eu-west-1 ", "region: us-east-2 ");
    expect(issueAt(four, "policy.quorum")?.expected).toMatch(/at least 3/);
  });

  it("needs roleArn and stateMachinePrefix for the step-functions engine", () => {
    const text = SANDBOX.replace("engine: local", "engine: step-functions").replace("consistency: single-region", "consistency: strong").replace(/^ {2}stateMachinePrefix:.*\n/m, "").replace(/^ {2}roleArn:.*\n/m, "");
    expect(pathsOf(text)).toEqual(["runbooks.roleArn", "runbooks.stateMachinePrefix"]);
    expect(problemsOf(text).line).toBe(lineOf(SANDBOX, "runbooks:"));
  });

  it("warns, without failing, when a single-region store sits in an app region", () => {
    const { warnings } = parseConfigText(SANDBOX.replace("region: us-east-2 ", "region: us-east-1 "), "c");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/us-east-1 is an app region: if it fails, the lease store fails with it/);
  });

  it("warns when a manual-mode config has no lag probe for the approvers", () => {
    const text = SANDBOX.replace("mode: automatic", "mode: manual").replace("  - kind: aurora\n    interval: 30s\n", "");
    expect(parseConfigText(text, "c").warnings.join()).toMatch(/without a data-loss estimate/);
  });

  it("requires {region} in per-region templates", () => {
    const text = SANDBOX.replace("https://{region}.orders.sandbox.internal/health", "https://orders.sandbox.internal/health");
    expect(issueAt(text, "probes[0].url")?.line).toBe(lineOf(SANDBOX, "url:"));
  });
});
