import { sweepPart } from "./sweep.js";

sweepPart(101, 100, "2/2");
