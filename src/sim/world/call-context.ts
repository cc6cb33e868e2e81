// What a service model knows about one API call it answers.

import type { Region } from "../../core/index.js";

export interface CallContext {
  /** The regional endpoint the call was sent to (us-east-1 for Route 53). */
  region: Region;
  /** Where the caller runs (its controller's region). */
  callerRegion: Region;
  requestId: string;
}

export type Input = Record<string, unknown>;

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
export const obj = (v: unknown): Input => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Input) : {});

/** A Date or epoch-ms input (the SDK passes Dates at the initialize step). */
export const timeMs = (v: unknown): number | undefined =>
  v instanceof Date ? v.getTime() : typeof v === "number" ? v : typeof v === "string" && v !== "" ? Date.parse(v) : undefined;
