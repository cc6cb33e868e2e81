// `failover daemon --config F [--region R] [--port P]`: the long-running
// controller. With --sandbox, every controller of the config runs in this
// process against the simulated world (what `npm start` does).

import { realClock } from "../../core/index.js";
import { loadConfig } from "../../config/index.js";
import { createAwsAdapters } from "../../aws/index.js";
import { FailoverController } from "../../controller/index.js";
import { DaemonMetrics, ReadinessMonitor, awsCallMetricsDecorator, createDaemonNotifier, createLogger, fetchHttp, startDaemon, type Ticker } from "../../daemon/index.js";
import { EXIT, UsageError } from "../exit.js";
import type { Registrar } from "../program.js";
import { loadRunbooks } from "./runbooks.js";

interface Options {
  config: string;
  region?: string;
  port: string;
  host: string;
  sandbox?: boolean;
  speed: string;
}

export const daemonCommand: Registrar = (program, io, run, globals) => {
  program
    .command("daemon")
    .description("run the controller: probes, policy, lease, runbooks; HTTP /healthz /readyz /metrics /status and a status page")
    .requiredOption("--config <file>", "config file (YAML)")
    .option("--region <region>", "the region this controller runs in (required unless --sandbox)")
    .option("--port <port>", "HTTP port", "8080")
    .option("--host <host>", "HTTP bind address (127.0.0.1 unless you need it reachable from outside)", "127.0.0.1")
    .option("--sandbox", "run every region's controller against the simulated AWS world, with a scripted outage")
    .option("--speed <factor>", "sandbox only: simulated seconds per wall second", "4")
    .action((opts: Options) =>
      run(async () => {
        const { config, warnings } = await loadConfig(opts.config);
        // A webhook URL usually carries a secret: masked wherever it would appear in a log line.
        const logger = createLogger({ level: globals().logLevel, ...(globals().json && { name: "failover" }), ...(config.notifications.webhook && { secrets: [config.notifications.webhook.url] }) });
        for (const w of warnings) logger.warn(w);
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a TCP port, got ${opts.port}`);
        const apiToken = io.env.FAILOVER_API_TOKEN || undefined;
        const metrics = new DaemonMetrics();
        const runbooks = await loadRunbooks(config);
        let controllers;
        let ticker: ((t: () => Promise<void>) => Ticker) | undefined;
        let stopSandbox: () => void = () => undefined;
        let onSandboxStep: ((listener: () => void) => void) | undefined;
        let readiness: ReadinessMonitor | undefined;
        let flush: (() => Promise<void>) | undefined;
        if (opts.sandbox) {
          const speed = Number(opts.speed);
          if (!(speed > 0 && speed <= 100)) throw new UsageError(`--speed must be in (0, 100], got ${opts.speed}`);
          // The simulator is loaded only here: a production daemon never holds it in memory.
          const { startSandbox } = await import("../../daemon/sandbox.js");
          const sandbox = startSandbox({ config, logger, metrics, speed });
          controllers = sandbox.controllers;
          stopSandbox = () => sandbox.stop();
          onSandboxStep = (listener) => sandbox.onStep(listener);
          // The simulated world ticks its controllers itself, in simulated time.
          ticker = () => ({ start: () => undefined, stop: () => Promise.resolve(stopSandbox()), idle: () => Promise.resolve(), skipped: 0 });
        } else {
          const region = opts.region;
          const observers = [...config.regions, ...(config.witness ? [config.witness] : [])];
          if (!region || !observers.includes(region)) throw new UsageError(`--region must be one of ${observers.join(", ")} (the region this controller runs in)`);
          // Every SDK client feeds failover_aws_call_duration_seconds and failover_aws_call_errors_total.
          const adapters = createAwsAdapters({ decorate: awsCallMetricsDecorator((call, r, ms, code) => metrics.observeAwsCall(call, r, ms, code)) });
          // Notifications are queued: the control cycle never waits on SNS or a webhook.
          const notifier = createDaemonNotifier({ config, region, adapters, clock: realClock, env: io.env, metrics, logger });
          const controller = new FailoverController({ config, region, instanceId: `${process.pid}-${Date.now().toString(36)}`, adapters, http: fetchHttp, clock: realClock, runbooks, events: (event, detail) => {
            metrics.observeEvent(event, detail);
            logger.info(detail, event);
            notifier?.onEvent(event, detail);
          } });
          controllers = [controller];
          if (notifier) flush = () => notifier.idle();
          if (config.readiness.enabled) {
            readiness = new ReadinessMonitor({ config, controller, adapters, clock: realClock, metrics, logger, emit: (event, detail) => {
              logger.info(detail, event);
              notifier?.onEvent(event, detail);
            } });
          }
        }
        const daemon = await startDaemon({ controllers, application: config.application, host: opts.host, port, intervalMs: config.controller.interval, logger, metrics, config, ...(apiToken && { apiToken }), ...(ticker && { ticker }), ...(readiness && { readiness }), ...(flush && { flush }) });
        // The simulated world steps faster than the daemon's history poll: sample after each simulated second.
        onSandboxStep?.(() => daemon.sampleHistory());
        io.stderr(`failover daemon: status page ${daemon.url}/  (metrics ${daemon.url}/metrics)\n`);
        await new Promise<never>(() => undefined); // runs until a signal stops the process
        return EXIT.ok;
      }),
    );
};
