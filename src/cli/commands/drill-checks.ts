// The drill's readiness checks now live in controller/readiness.ts, where the
// daemon (which runs them on a schedule) may import them too.
export { readinessChecks, type ReadinessCheck } from "../../controller/index.js";
