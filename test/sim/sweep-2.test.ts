import { sweepPart } from "./sweep.js";

sweepPart(126, 125, "2/4");
