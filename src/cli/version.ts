import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function readVersion(): string {
  // dist/src/cli -> ../../../package.json; src/cli -> ../../package.json
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === "failover" && pkg.version) return pkg.version;
    } catch {
      // try the next layout
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
