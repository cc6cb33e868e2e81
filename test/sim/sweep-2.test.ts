import { sweepPart } from "./sweep.js";

sweepPart(51, 50, "2/2");
