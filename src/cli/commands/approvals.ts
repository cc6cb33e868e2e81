// `failover approve|reject INCIDENT --config F`: answers the approval gate of
// a running runbook. The gate waits inside the daemon that runs the runbook
// (local engine), so the answer goes to that daemon's token-gated endpoint:
// --url (default http://127.0.0.1:8080), bearer token from FAILOVER_API_TOKEN.
// With `runbooks.engine: step-functions` the gate is a task token in the
// control table: when no daemon answers (or no token is set) the command
// answers it directly with SendTaskSuccess/SendTaskFailure in the
// execution's region, under the caller's own AWS credentials.

import { createAwsAdapters } from "../../aws/index.js";
import { loadConfig, type Config } from "../../config/index.js";
import { readApprovalToken } from "../../controller/index.js";
import type { CliIo } from "../context.js";
import { EXIT, UsageError, type ExitCode } from "../exit.js";
import type { Registrar } from "../program.js";

interface Options {
  config: string;
  url: string;
  reason?: string;
}

export const approvalCommands: Registrar = (program, io, run, globals) => {
  for (const verb of ["approve", "reject"] as const) {
    program
      .command(`${verb} <incident>`)
      .description(`${verb} the approval gate of a running runbook (sent to the daemon that runs it)`)
      .requiredOption("--config <file>", "config file (YAML)")
      .option("--url <url>", "the daemon's HTTP address", "http://127.0.0.1:8080")
      .option("--reason <text>", "why (kept in the incident's timeline)")
      .action((incident: string, opts: Options) =>
        run(async () => {
          const { config } = await loadConfig(opts.config);
          const token = io.env.FAILOVER_API_TOKEN;
          const sfnEngine = config.runbooks.engine === "step-functions";
          if (!token && sfnEngine) return answerDirectly(io, config, incident, verb, opts.reason, "FAILOVER_API_TOKEN is not set", globals().json);
          if (!token) throw new UsageError(`${verb} needs the daemon's token in FAILOVER_API_TOKEN`);
          let url: URL;
          try {
            url = new URL(`/${verb}/${encodeURIComponent(incident)}`, opts.url);
          } catch {
            throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(opts.url)}`);
          }
          let res: Response;
          try {
            res = await fetch(url, {
              method: "POST",
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
              body: JSON.stringify(opts.reason ? { reason: opts.reason } : {}),
              signal: AbortSignal.timeout(10_000),
            });
          } catch (err) {
            const why = `the daemon at ${opts.url} did not answer: ${err instanceof Error ? err.message : String(err)}`;
            if (sfnEngine) return answerDirectly(io, config, incident, verb, opts.reason, why, globals().json);
            throw new Error(why, { cause: err });
          }
          const body = (await res.json().catch(() => ({}))) as { error?: string };
          const out = { application: config.application, incident, verb, status: res.status, ...(body.error && { error: body.error }) };
          if (globals().json) io.stdout(`${JSON.stringify(out)}\n`);
          if (res.status === 200) {
            if (!globals().json) io.stdout(`incident ${incident}: ${verb === "approve" ? "approved" : "rejected"}\n`);
            return EXIT.ok;
          }
          io.stderr(`failover: ${verb} ${incident}: ${res.status} ${body.error ?? res.statusText}\n`);
          // A wrong token or disabled approvals is the caller's setup (2); no gate waiting is a finding (1).
          return res.status === 401 || res.status === 403 ? EXIT.badInput : res.status === 404 ? EXIT.problem : EXIT.runtime;
        }),
      );
  }
};

/** Step Functions engine: read the gate's task token from the control table and answer it where the execution runs. */
async function answerDirectly(io: CliIo, config: Config, incident: string, verb: "approve" | "reject", reason: string | undefined, why: string, json: boolean): Promise<ExitCode> {
  const adapters = createAwsAdapters({});
  const gate = await readApprovalToken(adapters, config, config.coordination.region, incident);
  if (!gate) {
    io.stderr(`failover: ${verb} ${incident}: no approval gate waits (no task token under approval#${config.application} in ${config.coordination.table}, ${config.coordination.region})\n`);
    return EXIT.problem;
  }
  const region = gate.targetRegion ?? config.regions[0]!;
  const sfn = adapters.region(region).sfn;
  if (verb === "approve") await sfn.sendTaskSuccess({ taskToken: gate.taskToken, output: JSON.stringify({ approvedBy: "failover approve" }) });
  else await sfn.sendTaskFailure({ taskToken: gate.taskToken, error: "Approval.Rejected", cause: reason ?? "rejected by an operator" });
  const done = verb === "approve" ? "approved" : "rejected";
  if (json) io.stdout(`${JSON.stringify({ application: config.application, incident, verb, direct: true, region, why })}\n`);
  else io.stdout(`incident ${incident}: ${done} directly with Step Functions in ${region} (${why})\n`);
  return EXIT.ok;
}
