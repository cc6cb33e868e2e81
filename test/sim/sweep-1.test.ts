// CI seed sweep, half 1 of 2 (see sweep.ts).
import { sweepHalf } from "./sweep.js";

sweepHalf(1, 100, "1/2");
