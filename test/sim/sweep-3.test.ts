import { sweepPart } from "./sweep.js";

sweepPart(251, 125, "3/4");
