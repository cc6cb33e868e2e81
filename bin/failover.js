#!/usr/bin/env node
// The `failover` command as npm links it (node_modules/.bin/failover) and as
// the image links it (/usr/local/bin/failover).
//
// Which code runs: the TypeScript sources through tsx when they are there (a
// clone: `npx failover` works right after `npm ci`, and an old dist/ from an
// earlier `npm run build` can never run in place of the code you are
// reading); the compiled dist/ otherwise (the Docker image and a published
// package ship no src/). FAILOVER_CLI=dist forces dist/ in a clone, to try a
// build before it ships.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Node resolves the symlinks npm and the image create, so this is the real file.
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "cli", "main.ts");
const built = join(root, "dist", "src", "cli", "main.js");

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  // aws-local-stepfunctions needs Node >= 22 and the project is tested on 24
  // only; failing here beats a TypeError in the middle of a runbook.
  process.stderr.write(
    `failover: needs Node >= 24, this is ${process.version} (${process.execPath}); ` +
      "run it as `npx failover` in the checkout (npm ci installs Node 24) or put Node 24 first on PATH\n",
  );
  process.exit(3);
}

const forceDist = process.env.FAILOVER_CLI === "dist";
if (!forceDist && existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  // The project's own tsconfig, not whatever tsconfig.json the caller's cwd has.
  const tsconfig = join(root, "tsconfig.json");
  register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write(
    forceDist
      ? `failover: FAILOVER_CLI=dist but ${built} does not exist: run \`npm run build\` first\n`
      : `failover: neither ${source} nor ${built} exists: this installation is incomplete\n`,
  );
  process.exit(3);
}
