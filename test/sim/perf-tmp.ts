import { loadBaseConfig } from "../../src/sim/config-derive.js";
import { loadScenarioFile } from "../../src/sim/scenario.js";
import { runScenario } from "../../src/sim/runner.js";
import { AdapterPool } from "../../src/sim/controllers.js";
import { realController } from "../../src/sim/real-controller.js";
const base = await loadBaseConfig("/work/main/config/sandbox.yaml");
const s = await loadScenarioFile(process.argv[2] ?? "/work/main/test/gameday/region-outage.yaml", base);
const pool = new AdapterPool();
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const v = await runScenario(s, { controller: realController, pool });
  console.log((performance.now() - t).toFixed(0), "ms", v.measured.awsCalls, v.measured.rtoMs, v.passed);
}
pool.destroy();
