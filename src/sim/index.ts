// The public API of sim/: the simulated AWS world behind real SDK clients,
// virtual time, scenarios, the runner, sweeps and reports.
export { SIM_EPOCH_MS, Scheduler, hashUnit } from "./scheduler.js";
export type * from "./types.js";
export { World, CONTROL_PLANE_REGION, type ApiRequest } from "./world/world.js";
export { simDecorator, createSimAdapters, SIM_CREDENTIALS, type AnswerPoint, type SimDecoratorOptions, type WorldBinding } from "./middleware.js";
export { simHttpClient, HttpRequestError } from "./http.js";
export {
  noController,
  setDefaultControllerFactory,
  defaultControllerFactory,
  type ControllerContext,
  type ControllerFactory,
  type NamedControllerFactory,
  type SimController,
} from "./controller-port.js";
export { AdapterPool } from "./controllers.js";
export { realController, shippedRunbooks } from "./real-controller.js";
export { ClientsModel } from "./clients-model.js";
export { Measure, type Measured } from "./measure.js";
export { DEFAULT_BASE_CONFIG, loadBaseConfig, deriveConfig, deepMerge, exactDuration, type BaseConfig } from "./config-derive.js";
export { WORLD_DEFAULTS, loadScenarioFile, loadScenarios, parseScenarioText, parseScenarioValue } from "./scenario.js";
export { runScenario, evaluate, describeFault, type RunOptions, type Verdict } from "./runner.js";
export { generateScenario, generateScenarioDoc, generateSweep, sweepScenarioSeed, type SweepScenario } from "./sweep.js";
export { runScenarios, runScenarioPath, runSweep, type GamedayOptions, type SweepOptions } from "./gameday.js";
export { summarize, toJson, formatVerdictText, formatSummaryText, styleFor, percentile, clockTime, type Summary, type VerdictSet } from "./report.js";
