// CI seed sweep, half 2 of 2 (see sweep.ts).
import { sweepHalf } from "./sweep.js";

sweepHalf(101, 100, "2/2");
