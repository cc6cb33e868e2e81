import { loadBaseConfig } from "../../src/sim/config-derive.js";
import { loadScenarioFile } from "../../src/sim/scenario.js";
import { runScenario } from "../../src/sim/runner.js";
import { AdapterPool } from "../../src/sim/controllers.js";
import { realController } from "../../src/sim/real-controller.js";
const base = await loadBaseConfig("config/sandbox.yaml");
const s = await loadScenarioFile(process.argv[2] ?? "test/gameday/region-outage.yaml", base);
const pool = new AdapterPool();
let imm = 0;
const orig = globalThis.setImmediate;
(globalThis as any).setImmediate = (fn: any, ...a: any[]) => { imm++; return orig(fn, ...a); };
for (let i = 0; i < 3; i++) {
  imm = 0;
  const t = performance.now();
  const v = await runScenario(s, { controller: realController, pool });
  console.log((performance.now() - t).toFixed(0), "ms calls", v.measured.awsCalls, "immediates", imm, "timeline", v.timeline.length);
}
pool.destroy();
