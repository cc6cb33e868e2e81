import { sweepPart } from "./sweep.js";

sweepPart(1, 125, "1/4");
