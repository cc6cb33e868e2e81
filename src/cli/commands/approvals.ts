// `failover approve|reject INCIDENT --config F`: answers the approval gate of
// a running runbook. The gate waits inside the daemon that runs the runbook
// (local engine), so the answer goes to that daemon's token-gated endpoint:
// --url (default http://127.0.0.1:8080), bearer token from FAILOVER_API_TOKEN.

import { loadConfig } from "../../config/index.js";
import { EXIT, UsageError } from "../exit.js";
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
            throw new Error(`the daemon at ${opts.url} did not answer: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
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
