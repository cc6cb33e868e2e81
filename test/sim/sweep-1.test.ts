import { sweepPart } from "./sweep.js";

// The suite's quick sweep; CI's 500 seeds run in .ci/run (failover gameday --sweep 500).
sweepPart(1, 100, "1/2");
