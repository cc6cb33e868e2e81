// The notifications/readiness config: a webhook that is not HTTPS is refused
// by validate (exit 2, file, line, field), SNS topics resolve to ARNs in
// config order, and the readiness schedule must be a cron expression.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildIamPolicies } from "../../src/aws/index.js";
import { iamPolicyInputFromConfig } from "../../src/cli/commands/iam-policy.js";
import { parseConfigText, snsTopics } from "../../src/config/index.js";
import { cli, tempFile } from "../helpers/cli.js";
import { lineOf, problemsOf } from "../config/helpers.js";

// The sandbox without its own notifications block, so each test writes the one it is about.
const SANDBOX = readFileSync("config/sandbox.yaml", "utf8").replace(/\nnotifications:[\s\S]*$/, "\n");
const withBlock = (block: string) => `${SANDBOX}\n${block}\n`;

describe("notifications config", () => {
  it("validate refuses a plain-http webhook: exit 2 naming the file, the line and the field", async () => {
    const text = withBlock("notifications:\n  webhook:\n    url: http://hooks.example.com/T000/B000/secret\n    format: slack");
    const file = tempFile(text);
    const r = await cli(["validate", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:${lineOf(text, "url: http://")}`);
    expect(r.stderr).toContain("notifications.webhook.url");
    expect(r.stderr).toMatch(/https:\/\/ URL/);
    // The same file with https passes: the refusal is about the scheme, nothing else.
    const ok = await cli(["validate", "--config", tempFile(text.replace("http://hooks", "https://hooks"))]);
    expect(ok.code).toBe(0);
  });

  it("needs exactly one of topic and topicArns", () => {
    const both = withBlock("notifications:\n  sns:\n    topic: t\n    topicArns: [arn:aws:sns:us-east-1:111122223333:t]");
    expect(problemsOf(both).path).toBe("notifications.sns");
    expect(problemsOf(withBlock("notifications:\n  sns: {}")).path).toBe("notifications.sns");
  });

  it("builds the topic ARN per region: app regions, then the witness, unless regions says otherwise", () => {
    const c = parseConfigText(withBlock("notifications:\n  sns:\n    topic: failover-orders"), "c.yaml").config;
    expect(snsTopics(c.notifications, c)).toEqual([
      { region: "us-east-1", topicArn: "arn:aws:sns:us-east-1:111122223333:failover-orders" },
      { region: "us-west-2", topicArn: "arn:aws:sns:us-west-2:111122223333:failover-orders" },
      { region: "us-east-2", topicArn: "arn:aws:sns:us-east-2:111122223333:failover-orders" },
    ]);
    const ordered = parseConfigText(withBlock("notifications:\n  sns:\n    topic: t\n    regions: [us-east-2, us-west-2]"), "c.yaml").config;
    expect(snsTopics(ordered.notifications, ordered).map((t) => t.region)).toEqual(["us-east-2", "us-west-2"]);
    expect(snsTopics(parseConfigText(SANDBOX, "c.yaml").config.notifications, ordered)).toEqual([]);
  });

  it("refuses a readiness schedule that is not a cron expression, defaults to every 30 minutes", () => {
    const text = withBlock("readiness:\n  schedule: every half hour");
    const err = problemsOf(text);
    expect(err.path).toBe("readiness.schedule");
    expect(err.line).toBe(lineOf(text, "schedule:"));
    expect(parseConfigText(SANDBOX, "c.yaml").config.readiness.schedule).toBe("*/30 * * * *");
  });

  it("grants sns:Publish on exactly the notification topics, and nothing without them", () => {
    const c = parseConfigText(withBlock("notifications:\n  sns:\n    topic: failover-orders\n    regions: [us-east-2, us-west-2]"), "c.yaml").config;
    const statement = buildIamPolicies(iamPolicyInputFromConfig(c)).controller.Statement.find((st) => st.Action.includes("sns:Publish"));
    expect(statement).toEqual({
      Sid: "SnsPublishNotifications",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: ["arn:aws:sns:us-east-2:111122223333:failover-orders", "arn:aws:sns:us-west-2:111122223333:failover-orders"],
    });
    const none = buildIamPolicies(iamPolicyInputFromConfig(parseConfigText(SANDBOX, "c.yaml").config));
    expect(none.controller.Statement.flatMap((st) => st.Action)).not.toContain("sns:Publish");
    expect(none.runbook.Statement.flatMap((st) => st.Action)).not.toContain("sns:Publish");
  });
});
