// traffic.strategy routing-control: what the config must say (a control and
// a RECOVERY_CONTROL health check per app region, the cluster's endpoints),
// what validate refuses, its own RTO budget term, and the IAM it grants.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildIamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { computeBudget, parseConfigText } from "../../src/config/index.js";
import { runbookInput } from "../../src/controller/mapping.js";
import { problemsOf } from "./helpers.js";

const FILE = "test/fixtures/config/routing-control.yaml";
const RC = readFileSync(FILE, "utf8");
const SANDBOX = readFileSync("config/sandbox.yaml", "utf8");
const parse = (text: string) => parseConfigText(text, "c.yaml");
const issueAt = (text: string, path: string) => problemsOf(text).issues.find((i) => i.path === path);
const flipOf = (text: string) => computeBudget(parse(text).config).terms.find((t) => t.name === "traffic-flip")!;

describe("routing-control config", () => {
  it("parses the fixture: controls, health checks and the five endpoints, no warning", () => {
    const { config, warnings } = parse(RC);
    const t = config.traffic;
    expect(t.strategy).toBe("routing-control");
    if (t.strategy !== "routing-control") return;
    expect(Object.keys(t.routingControls)).toEqual(["us-east-1", "us-west-2"]);
    expect(t.clusterEndpoints.map((e) => e.region)).toEqual(["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"]);
    expect(t.healthCheckDelay).toBe(10_000);
    expect(warnings).toEqual([]);
  });

  it("needs a routing control for every app region, as an ARC ARN", () => {
    expect(issueAt(RC.replace(/^ {4}us-west-2: arn:aws:route53-recovery-control.*\n/m, ""), "traffic.routingControls.us-west-2")).toMatchObject({
      expected: expect.stringMatching(/routing control ARN of app region us-west-2/),
    });
    expect(issueAt(RC.replace("us-west-2: arn:aws:route53-recovery-control::", "us-west-2: arn:aws:route53:::"), "traffic.routingControls.us-west-2")).toMatchObject({
      expected: expect.stringMatching(/route53-recovery-control ARN/),
    });
  });

  it("refuses one control shared by two regions (the flip would turn it On and Off in one call)", () => {
    const shared = RC.replace("routingcontrol/orders-us-west-2", "routingcontrol/orders-us-east-1");
    expect(issueAt(shared, "traffic.routingControls.us-west-2")).toMatchObject({ expected: expect.stringMatching(/used by two regions/) });
  });

  it("refuses two endpoints in one region and more than five, and warns with fewer than five", () => {
    const dup = RC.replace("{ region: eu-west-1,", "{ region: us-west-2,");
    expect(issueAt(dup, "traffic.clusterEndpoints[2].region")).toMatchObject({ expected: expect.stringMatching(/one endpoint per region/) });
    const six = RC.replace("  healthCheckDelay:", '    - { region: sa-east-1, endpoint: "https://x.sa-east-1.example.com/v1" }\n  healthCheckDelay:');
    expect(issueAt(six, "traffic.clusterEndpoints")).toMatchObject({ expected: expect.stringMatching(/at most 5/) });
    const three = RC.replace(/^ {4}- \{ region: ap-.*\n/gm, "");
    expect(parse(three).warnings.join()).toMatch(/lists 3 of the cluster's 5 endpoints/);
  });

  it("refuses engine step-functions: a deployed SDK task cannot reach the cluster's own endpoints", () => {
    expect(issueAt(RC.replace("engine: local", "engine: step-functions"), "runbooks.engine")).toMatchObject({ expected: expect.stringMatching(/cannot be pointed at the ARC cluster's endpoints/) });
  });

  it("refuses a route53-health-check probe on the RECOVERY_CONTROL checks (they follow the controller's own decisions)", () => {
    const probe = RC.replace("  - kind: aurora\n", "  - kind: route53-health-check\n    healthChecks: { us-east-1: hc-rc-orders-us-east-1, us-west-2: hc-x }\n  - kind: aurora\n");
    expect(issueAt(probe, "probes[1].healthChecks.us-east-1")).toMatchObject({ expected: expect.stringMatching(/follows the routing control/) });
  });
});

describe("routing-control RTO budget term", () => {
  it("is two dead endpoints' timeouts plus the health check delay, far under the kill switch's alarm + checks", () => {
    expect(flipOf(RC)).toMatchObject({ ms: 30_000, formula: "2 unreachable ARC endpoint(s) x 10s request timeout + routing control health check delay 10s" });
    expect(flipOf(RC.replace("healthCheckDelay: 10s", "healthCheckDelay: 25s")).ms).toBe(45_000);
    // One endpoint only: nothing to fail over to, so no dead-endpoint term.
    expect(flipOf(RC.replace(/^ {4}- \{ region: (?!us-east-1).*\n/gm, "")).ms).toBe(10_000);
    expect(flipOf(SANDBOX).ms).toBe(90_000);
  });
});

describe("routing-control runbook input and IAM", () => {
  it("carries the target's and the old region's controls, the endpoints, and no override (only an operator's move adds one)", () => {
    const { config } = parse(RC);
    const input = runbookInput(config, { incidentId: "i", epoch: 1, from: "us-east-1", to: "us-west-2", approvalRequired: false });
    expect(input.traffic).toMatchObject({
      strategy: "routing-control",
      targetControlArn: expect.stringMatching(/orders-us-west-2$/),
      fromControlArn: expect.stringMatching(/orders-us-east-1$/),
      safetyRulesToOverride: [],
      settleSeconds: 10,
    });
    expect(input.traffic.clusterEndpoints).toHaveLength(5);
  });

  it("grants the ARC actions on exactly the config's routing controls, and no kill-switch namespace to the runbook", () => {
    const { config } = parse(RC);
    const { controller, runbook } = buildIamPolicies(iamPolicyInputFromConfig(config));
    const arc = (doc: typeof controller) => doc.Statement.find((s) => s.Sid === "ArcRoutingControls");
    const controls = config.traffic.strategy === "routing-control" ? Object.values(config.traffic.routingControls).sort() : [];
    expect(arc(runbook)).toMatchObject({ Action: ["route53-recovery-cluster:GetRoutingControlState", "route53-recovery-cluster:UpdateRoutingControlStates"], Resource: controls });
    // Local engine: the controller flips with its own credentials.
    expect(arc(controller)?.Action).toContain("route53-recovery-cluster:UpdateRoutingControlStates");
    expect(runbook.Statement.find((s) => s.Sid === "CloudWatchPublishMetrics")).toBeUndefined();
    // The health-check sandbox is granted no ARC action at all.
    const plain = buildIamPolicies(iamPolicyInputFromConfig(parse(SANDBOX).config));
    expect(JSON.stringify(plain)).not.toContain("route53-recovery-cluster");
  });
});
