import { loadBaseConfig } from "../../src/sim/config-derive.js";
import { loadScenarioFile } from "../../src/sim/scenario.js";
import { runScenario } from "../../src/sim/runner.js";
import { AdapterPool } from "../../src/sim/controllers.js";
import { realController } from "../../src/sim/real-controller.js";
const base = await loadBaseConfig("config/sandbox.yaml");
const s = await loadScenarioFile(process.argv[2] ?? "test/gameday/region-outage.yaml", base);
const pool = new AdapterPool();
const timers = new Map<string, number>();
const orig = globalThis.setTimeout;
(globalThis as any).setTimeout = (fn: any, ms: any, ...a: any[]) => { const k = String(ms) + " " + (new Error().stack!.split("\n")[2] ?? "").trim(); timers.set(k, (timers.get(k) ?? 0) + 1); return orig(fn, ms, ...a); };
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const v = await runScenario(s, { controller: realController, pool });
  console.log((performance.now() - t).toFixed(0), "ms");
}
console.log([...timers.entries()].slice(0, 20));
pool.destroy();
