// `failover stop INCIDENT --config F [--reason TEXT]`: stops, on purpose, the
// Step Functions execution acting for an incident (engine step-functions).
// A daemon stopping never stops an execution (it outlives the process); this
// is the operator's way to, and it says so in the incident, so the
// controller following the execution escalates "stopped by an operator"
// instead of starting it again. Runs directly against AWS with the caller's
// credentials; a stop cannot be undone, so it asks for confirmation unless --yes.

import { createAwsAdapters } from "../../aws/index.js";
import { loadConfig } from "../../config/index.js";
import { CoordinationStore } from "../../coordination/index.js";
import { executionName } from "../../controller/index.js";
import { stateMachineArn } from "../../runbooks/index.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";

interface Options {
  config: string;
  reason?: string;
  yes?: boolean;
}

export const stopCommand: Registrar = (program, io, run, globals) => {
  program
    .command("stop <incident>")
    .description("stop the Step Functions execution of an incident's runbook on purpose (engine step-functions); recorded in the incident")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--reason <text>", "why (kept in the incident's timeline and the execution's cause)")
    .option("--yes", "do not ask for confirmation")
    .action((incidentId: string, opts: Options) =>
      run(async () => {
        const { config } = await loadConfig(opts.config);
        if (config.runbooks.engine !== "step-functions") {
          throw new UsageError("stop applies to runbooks.engine step-functions; a local-engine runbook runs inside its daemon (stop the daemon, it journals the step in flight)");
        }
        const adapters = createAwsAdapters({});
        const store = new CoordinationStore(adapters.region(config.coordination.region).dynamodb, {
          tableName: config.coordination.table, application: config.application, owner: `cli/${process.pid}`, leaseMs: config.coordination.leaseDuration, maxClockSkewMs: config.coordination.maxClockSkew,
        });
        const incident = await store.getIncident(incidentId);
        if (!incident?.to || !incident.runbook) {
          io.stderr(`failover: stop ${incidentId}: no such incident with a runbook in ${config.coordination.table} (${config.coordination.region})\n`);
          return EXIT.problem;
        }
        if (!opts.yes) {
          const answer = await io.ask?.(`stop the ${incident.runbook} execution of ${incidentId} in ${incident.to}? The incident is escalated to a person. Type "stop" to confirm: `);
          if (answer?.trim() !== "stop") throw new UsageError("not confirmed (pass --yes to skip the question)");
        }
        const reason = opts.reason ?? "stopped by an operator";
        const prefix = executionName(incidentId, 0).slice(0, -1);
        const sfn = adapters.region(incident.to).sfn;
        const machine = stateMachineArn({ accountId: config.accountId, prefix: config.runbooks.stateMachinePrefix ?? "" }, incident.to, incident.runbook);
        const running = (await sfn.listExecutions({ stateMachineArn: machine, status: "RUNNING" })).filter((e) => e.name.startsWith(prefix));
        for (const e of running) await sfn.stopExecution({ executionArn: e.executionArn, error: "Operator.Stopped", cause: reason });
        incident.timeline.push({ atMs: Date.now(), event: "runbook.execution.stopped", detail: { by: "operator", reason, executionArns: running.map((e) => e.executionArn) } });
        await store.putIncident(incident);
        const out = { application: config.application, incident: incidentId, region: incident.to, stopped: running.map((e) => e.executionArn), reason };
        if (globals().json) io.stdout(`${JSON.stringify(out)}\n`);
        else io.stdout(running.length === 0 ? `incident ${incidentId}: no running execution in ${incident.to} (recorded)\n` : `incident ${incidentId}: stopped ${running.map((e) => e.executionArn).join(", ")}\n`);
        return EXIT.ok;
      }),
    );
};
