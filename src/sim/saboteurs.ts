// The saboteur registry: `failover gameday ... --saboteur NAME` runs one of
// these in place of the real controller. Every one but `none` is the
// production FailoverController with exactly one safety removed
// (controller/sabotage.ts); the instrument is only worth its figures if it
// catches each of them (test/sim/saboteurs.test.ts, and CI's matrix).

import type { Sabotage } from "../controller/index.js";
import type { ControllerFactory } from "./controller-port.js";
import { controllerWith } from "./real-controller.js";

export interface Saboteur {
  name: string;
  /** What it removes, for `--saboteur list` and the README. */
  removes: string;
  /** The controller to run; undefined: no controller at all. */
  controller?: ControllerFactory;
}

const sabotaged = (sabotage: Sabotage): ControllerFactory => controllerWith(sabotage);

export const SABOTEURS: readonly Saboteur[] = [
  { name: "none", removes: "the controller itself: the world runs untouched" },
  { name: "no-quorum", removes: "the quorum: acts on a single observer's DOWN", controller: sabotaged({ noQuorum: true }) },
  { name: "no-lease", removes: "the lease: acts without winning the conditional write (no epoch bump)", controller: sabotaged({ noLease: true }) },
  { name: "no-fence", removes: "fencing: runbook fence steps pass whatever the epoch, a lost lease does not stop the runbook", controller: sabotaged({ noFence: true }) },
  { name: "ignore-rpo", removes: "the RPO budget: fails over whatever the replication lag", controller: sabotaged({ ignoreRpo: true }) },
  { name: "eager", removes: "hysteresis: one failed probe round is DOWN, one good round is UP", controller: sabotaged({ eager: true }) },
  { name: "never-act", removes: "action: observes and publishes views, never acts, never escalates", controller: sabotaged({ neverAct: true }) },
];

export function saboteur(name: string): Saboteur | undefined {
  return SABOTEURS.find((s) => s.name === name);
}
