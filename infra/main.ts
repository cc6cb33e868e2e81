// Entry point for the CDK CLI, for those who prefer it to
// `failover infra synth`:
//   npx aws-cdk@2 synth --app "npx tsx infra/main.ts" -c config=config/example.yaml
// Same checks, same stacks; a bad config prints file:line: field and exits 2.

import { App } from "aws-cdk-lib";
import { ConfigError } from "../src/core/index.js";
import { buildApp } from "./app.js";
import { loadDeployConfig } from "./load.js";

// The CDK CLI hands context (-c) and the output folder to the app through its environment.
const probe = new App();
const file: unknown = probe.node.tryGetContext("config");
if (typeof file !== "string" || file === "") {
  process.stderr.write('failover infra: pass the config file as CDK context: -c config=config/example.yaml\n');
  process.exit(2);
}
try {
  buildApp(await loadDeployConfig(file), { outdir: probe.outdir }).app.synth();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`failover: ${err.message}\n`);
  process.exit(2);
}
