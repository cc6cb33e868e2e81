// One controller as the image runs it (issue 16), for `npm run bench`: the
// compiled dist/ with the node flags of the Dockerfile's ENTRYPOINT, `failover daemon` for
// one region of the sandbox config, no simulator in the process. DynamoDB is
// a real DynamoDB-compatible server (dynalite) on 127.0.0.1, so the lease,
// the views and the control record are real calls; every other AWS endpoint
// is a closed 127.0.0.1 port (refused at once), as a region whose other
// services are unreachable. What it reports:
//   - the process's peak RSS (VmHWM), the figure a container limit meets;
//   - its CPU (user + system) over the steady part of the run, per hour;
//   - its AWS calls per second in that part, from its own /metrics (without
//     the notifications about the unreachable services).
// Linux only (/proc); elsewhere it says so and reports nothing.
//
//   node --import tsx bench/container.ts      (prints JSON)

import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { startDynalite } from "../test/helpers/dynalite.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Seconds of start-up (module loading, first lease, first probes) before the steady part. */
const WARM_UP_S = 30;
/** Seconds of the steady part. */
const STEADY_S = 90;
const CLOCK_TICKS_PER_S = 100;

export interface ContainerReport {
  nodeFlags: string[];
  maxRssKiB: number;
  cpuSecondsPerHour: number;
  awsCallsPerSecond: number;
  steadySeconds: number;
}

/** The node flags of the image's ENTRYPOINT (`["node", flags..., script]`), so the bench measures what ships. */
export async function imageNodeFlags(): Promise<string[]> {
  const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  const argv = line ? (JSON.parse(line) as string[]) : [];
  return argv[0] === "node" ? argv.slice(1).filter((a) => a.startsWith("--")) : [];
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Sum of the daemon's AWS call histogram counts (every outcome), without
 * sns:Publish: here the readiness checks find the unreachable services red
 * and notify about it, which a healthy deployment does not do.
 */
async function awsCalls(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("failover_aws_call_duration_seconds_count") && !line.includes('call="sns:')) total += Number(line.split(" ").at(-1));
  }
  return total;
}

async function cpuTicks(pid: number): Promise<number> {
  // Fields after the command (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureContainer(): Promise<ContainerReport | { skipped: string }> {
  if (process.platform !== "linux") return { skipped: "needs /proc (Linux)" };
  const dir = await mkdtemp(join(tmpdir(), "failover-container-"));
  const store = await startDynalite();
  try {
    process.stderr.write("container: building dist/ ...\n");
    await promisify(execFile)(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(dir, "dist")]);
    for (const name of ["node_modules", "config", "runbooks"]) await symlink(join(ROOT, name), join(dir, name));
    const nodeFlags = await imageNodeFlags();
    const refused = `http://127.0.0.1:${await closedPort()}`;
    const port = await closedPort();
    const daemon = spawn(process.execPath, [...nodeFlags, join(dir, "dist/src/cli/main.js"), "daemon", "--config", "config/sandbox.yaml", "--region", "us-east-1", "--port", String(port)], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDBENCH",
        AWS_SECRET_ACCESS_KEY: "bench",
        AWS_ENDPOINT_URL: refused,
        AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
      },
    });
    let stderr = "";
    daemon.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => daemon.once("exit", resolve));
    const url = `http://127.0.0.1:${port}`;
    process.stderr.write(`container: daemon pid ${daemon.pid} on ${url}, ${WARM_UP_S} s warm-up then ${STEADY_S} s measured\n`);
    try {
      await sleep(WARM_UP_S * 1000);
      if (daemon.exitCode !== null) throw new Error(`the daemon exited (${daemon.exitCode}): ${stderr.trim().slice(0, 500)}`);
      const [calls0, ticks0] = [await awsCalls(url), await cpuTicks(daemon.pid!)];
      await sleep(STEADY_S * 1000);
      const [calls1, ticks1] = [await awsCalls(url), await cpuTicks(daemon.pid!)];
      const status = await readFile(`/proc/${daemon.pid}/status`, "utf8");
      const maxRssKiB = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      return {
        nodeFlags,
        maxRssKiB,
        cpuSecondsPerHour: ((ticks1 - ticks0) / CLOCK_TICKS_PER_S) * (3600 / STEADY_S),
        awsCallsPerSecond: (calls1 - calls0) / STEADY_S,
        steadySeconds: STEADY_S,
      };
    } finally {
      daemon.kill("SIGTERM");
      await exited;
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await measureContainer()));
}
