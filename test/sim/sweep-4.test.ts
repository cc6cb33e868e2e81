import { sweepPart } from "./sweep.js";

sweepPart(376, 125, "4/4");
