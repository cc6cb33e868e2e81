// `failover infra synth`: a config that cannot be deployed fails with exit 2
// naming file, line and field, and leaves no output folder; the command
// says what is missing when the CDK app is not installed.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { infraCommand, loadInfra } from "../../src/cli/commands/infra.js";
import type { CliIo } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/program.js";
import { parseConfigText } from "../../src/config/index.js";
import { checkDeployable } from "../../infra/checks.js";
import { cli, tempFile } from "../helpers/cli.js";

const EXAMPLE = readFileSync("config/example.yaml", "utf8");

/** 1-based line of the first line matching `re` in `text`. */
const lineOf = (text: string, re: RegExp) => text.split("\n").findIndex((l) => re.test(l)) + 1;

function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`mutation did not apply: ${String(from)}`);
  return out;
}

async function synthFails(text: string) {
  const file = tempFile(text);
  const out = join(file, "..", "templates");
  const run = await cli(["infra", "synth", "--config", file, "--out", out]);
  return { ...run, file, out };
}

describe("infra synth refuses an undeployable config (exit 2, file:line: field, no output)", () => {
  it("accepts the unmutated example (the checks below are not always-failing)", () => {
    const { config } = parseConfigText(EXAMPLE, "config/example.yaml");
    expect(checkDeployable(config, 2000)).toEqual([]);
  });

  it("a witness outside the region set of a strongly consistent table", async () => {
    let text = replaceOnce(EXAMPLE, /^witness: us-east-2$/m, "witness: eu-west-1");
    text = replaceOnce(text, /^ {2}region: us-east-2$/m, "  region: us-east-1");
    text = replaceOnce(text, /^ {2}consistency: single-region$/m, "  consistency: strong");
    text = replaceOnce(text, /^ {4}us-east-2:$/m, "    eu-west-1:");
    const r = await synthFails(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${lineOf(text, /^witness:/)}: witness: expected a region of the US region set`);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(r.out)).toBe(false);
  });

  it("a hosted zone id of the wrong shape", async () => {
    const text = replaceOnce(EXAMPLE, "hostedZoneId: Z0123456789ABCDEFGHIJ", "hostedZoneId: /hostedzone/Z0123456789ABCDEFGHIJ");
    const r = await synthFails(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${lineOf(text, /hostedZoneId:/)}: traffic.hostedZoneId: expected a Route 53 hosted zone id`);
    expect(r.stderr).toContain('leave out the "/hostedzone/" prefix');
    expect(existsSync(r.out)).toBe(false);
  });

  it("no network for a controller region", async () => {
    const text = replaceOnce(EXAMPLE, /^ {4}us-east-2:\n.*\n.*\n/m, "");
    const r = await synthFails(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${lineOf(text, /^ {2}network:/)}: deploy.network.us-east-2: expected the VPC and subnet ids`);
    expect(existsSync(r.out)).toBe(false);
  });

  it("no deploy section at all (the sandbox)", async () => {
    const r = await cli(["infra", "synth", "--config", "config/sandbox.yaml", "--out", join(tempFile("", "x"), "..", "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover: config\/sandbox\.yaml:\d+: deploy: expected a deploy section/);
  });

  it("an image that is not pinned, and a kill-switch delay a standard alarm cannot have", async () => {
    let text = replaceOnce(EXAMPLE, "failover:0.1.0", "failover:latest");
    text = replaceOnce(text, "alarmDelay: 60s ", "alarmDelay: 90s ");
    const r = await synthFails(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${lineOf(text, /^ {2}image:/)}: deploy.image: expected an image pinned by tag or digest`);
    // Schema errors stop the load first; fix the image and the alarm delay is named.
    const r2 = await synthFails(replaceOnce(text, "failover:latest", "failover:0.1.0"));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`:${lineOf(text, /alarmDelay:/)}: traffic.killSwitch.alarmDelay: expected a whole number of minutes`);
  });

  it("approvals open to the whole internet", async () => {
    const text = replaceOnce(EXAMPLE, "  logRetentionDays: 90\n", '  logRetentionDays: 90\n  approvals: { tokenParameter: /failover/payments/api-token, allowFrom: ["10.0.0.0/8", "0.0.0.0/0"] }\n');
    const r = await synthFails(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}:${lineOf(text, /approvals:/)}: deploy.approvals.allowFrom[1]: expected a private range, not the whole internet`);
    expect(existsSync(r.out)).toBe(false);
  });

  it("an output folder that already holds files", async () => {
    const file = tempFile(EXAMPLE);
    const out = join(file, "..", "old");
    mkdirSync(out);
    writeFileSync(join(out, "stale.template.json"), "{}");
    const r = await cli(["infra", "synth", "--config", file, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("an empty or new output folder");
    expect(readFileSync(join(out, "stale.template.json"), "utf8")).toBe("{}");
  });
});

describe("infra synth without the CDK app", () => {
  it("loads infra/ lazily in a source checkout", async () => {
    expect(typeof (await loadInfra()).synthesize).toBe("function");
  });

  it("exits 2 with what to install when infra/ or aws-cdk-lib is absent (the production image)", async () => {
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, env: {}, cwd: process.cwd() };
    const absent = () => Promise.reject(Object.assign(new Error("Cannot find package 'aws-cdk-lib'"), { code: "ERR_MODULE_NOT_FOUND" }));
    const code = await runCli(["infra", "synth", "--config", "config/example.yaml"], io, [infraCommand(absent)]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("devDependencies (aws-cdk-lib, constructs, cdk-nag)");
    expect(stderr).toContain("Cannot find package 'aws-cdk-lib'");
    // Any other failure of the import is not disguised as "not installed".
    const broken = () => Promise.reject(new TypeError("boom"));
    const code3 = await runCli(["infra", "synth", "--config", "config/example.yaml"], io, [infraCommand(broken)]);
    expect(code3).toBe(3);
  });

  it("exits 1 when cdk-nag finds something not acknowledged (the check found a problem)", async () => {
    let stderr = "";
    const io: CliIo = { stdout: () => undefined, stderr: (t) => (stderr += t), isTty: false, env: {}, cwd: process.cwd() };
    const finding = Object.assign(new Error("cdk-nag found 1 unacknowledged problem(s):\n  - AwsSolutions-IAM5 at X"), { name: "SecurityCheckError", findings: ["AwsSolutions-IAM5 at X"] });
    const nagging = () => Promise.resolve({ synthesize: () => Promise.reject(finding) });
    expect(await runCli(["infra", "synth", "--config", "config/example.yaml"], io, [infraCommand(nagging)])).toBe(1);
    expect(stderr).toContain("AwsSolutions-IAM5 at X");
  });
});
