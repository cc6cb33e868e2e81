// Which field names a schema allows at a path, so an unknown-field error can
// list the known ones and suggest the likely typo (`cooldwn` -> `cooldown`).
// zod's own unrecognized_keys issue carries only the bad keys, so we walk the
// schema alongside the parsed input (the input picks the branch of a
// discriminated union, e.g. the probe `kind`).

import type { z } from "zod";
import type { PathSegment } from "./yaml-errors.js";

/** The parts of zod 4's internal definitions this walk reads. */
interface WalkDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  discriminator?: string;
  values?: readonly unknown[];
  getter?: () => z.core.$ZodType;
}

const defOf = (schema: z.core.$ZodType): WalkDef => schema._zod.def;

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);

/** Strips wrappers (defaults, optionals, transforms) down to the schema that owns the shape. */
function unwrap(schema: z.core.$ZodType, input: unknown): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  // Bounded: a schema nests wrappers a few levels deep, never hundreds.
  for (let depth = 0; current && depth < 32; depth++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else if (def.type === "lazy") current = def.getter?.();
    else if (def.type === "union") current = pickOption(def, input);
    else return current;
  }
  return undefined;
}

/** The union option the input selects: by discriminator value, or the only object option. */
function pickOption(def: WalkDef, input: unknown): z.core.$ZodType | undefined {
  const options = def.options ?? [];
  const tag = def.discriminator;
  if (tag && isRecord(input)) {
    return options.find((o) => {
      const field = defOf(o).shape?.[tag];
      return field !== undefined && (defOf(field).values ?? []).includes(input[tag]);
    });
  }
  const objects = options.filter((o) => defOf(o).type === "object");
  return objects.length === 1 ? objects[0] : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Field names allowed at `path` (an object in the schema), or undefined when the path leads elsewhere. */
export function knownKeysAt(schema: z.core.$ZodType, input: unknown, path: readonly PathSegment[]): string[] | undefined {
  let node = unwrap(schema, input);
  let value = input;
  for (const seg of path) {
    if (!node) return undefined;
    const def = defOf(node);
    let next: z.core.$ZodType | undefined;
    if (def.type === "object") next = def.shape?.[String(seg)];
    else if (def.type === "array") next = def.element;
    else if (def.type === "record") next = def.valueType;
    value = isRecord(value) ? value[String(seg)] : Array.isArray(value) && typeof seg === "number" ? (value[seg] as unknown) : undefined;
    node = next && unwrap(next, value);
  }
  const shape = node && defOf(node).type === "object" ? defOf(node).shape : undefined;
  return shape ? Object.keys(shape) : undefined;
}

/** The known field closest to a misspelt one (edit distance <= 2), if any. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  // Unknown keys come from a config file: cap their length so a pasted blob costs nothing.
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? Number.POSITIVE_INFINITY;
}
