// Turns YAML text into a value checked by a zod schema, and every problem
// into a ConfigErrorDetail that names the file, the line of the offending
// node, the field path (`policy.rto`, `faults[2].until`) and what was
// expected. Shared by the config loader and the game-day scenario loader.

import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError, type ConfigErrorDetail } from "../core/index.js";
import { closestKey, knownKeysAt } from "./schema-keys.js";

export type PathSegment = string | number;

/** `["faults", 2, "until"]` -> `faults[2].until`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

export interface ParsedYaml {
  value: unknown;
  lineOf: (path: readonly PathSegment[]) => number | undefined;
}

/** Parses YAML keeping positions; syntax errors become a ConfigError with their line. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const [first, ...rest] = doc.errors;
  if (first) {
    // One syntax error usually derails the parser for the lines after it:
    // report the first, and only count the rest so they do not bury it.
    const more = rest.length > 0 ? ` (and ${rest.length} more YAML error(s) after it, often caused by this one)` : "";
    throw new ConfigError({ file, line: first.linePos?.[0]?.line, path: "", expected: `valid YAML (${yamlReason(first.message, first.code)})${more}` });
  }
  return { value: toValue(doc, lineCounter, file), lineOf: (path) => lineOfPath(doc, lineCounter, path) };
}

/**
 * The document as plain data. Aliases are resolved only here, so an alias to
 * an anchor defined later (or nowhere), or an alias bomb past yaml's
 * maxAliasCount, throws here: turn that into a ConfigError too.
 */
function toValue(doc: Document, lines: LineCounter, file: string): unknown {
  try {
    return doc.toJS() as unknown;
  } catch (err) {
    let line: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return undefined;
        line = rangeLine(node, lines);
        return visit.BREAK;
      },
    });
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError({ file, line, path: "", expected: `valid YAML (${reason})` });
  }
}

/** The first line of a yaml error, its position moved to the end: the line is printed in front already. */
function yamlReason(message: string, code: string): string {
  const first = message.split("\n")[0] ?? "";
  const m = /^(.*?) at line \d+, column (\d+):?$/.exec(first);
  if (m) return `${m[1] ?? code}; column ${m[2] ?? "?"}`;
  return first === "" ? code : first;
}

function lineOfPath(doc: Document, lines: LineCounter, path: readonly PathSegment[]): number | undefined {
  // Walk down as far as the path exists: a missing key reports its parent's line.
  let node: unknown = doc.contents;
  let line = rangeLine(node, lines);
  for (const seg of path) {
    if (!isNode(node) || !("get" in node)) break;
    const collection = node as unknown as { items: unknown[] };
    let next: unknown;
    let keyLine: number | undefined;
    if (isMap(node)) {
      const pair = collection.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (isPair(pair)) {
        next = pair.value;
        keyLine = rangeLine(pair.key, lines);
      }
    } else {
      next = typeof seg === "number" ? collection.items[seg] : undefined;
    }
    if (next === undefined && keyLine === undefined) break;
    line = keyLine ?? rangeLine(next, lines) ?? line;
    node = next;
  }
  return line;
}

function rangeLine(node: unknown, lines: LineCounter): number | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return lines.linePos(node.range[0]).line;
}

/** Parses `text` with `schema`; throws one ConfigError listing every problem. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, file: string): { data: z.output<S>; lineOf: ParsedYaml["lineOf"] } {
  const parsed = parseYaml(text, file);
  const result = schema.safeParse(parsed.value, { reportInput: true });
  if (!result.success) {
    const known = (path: readonly PathSegment[]) => knownKeysAt(schema, parsed.value, path);
    throw new ConfigError(zodIssuesToDetails(result.error, file, parsed.lineOf, known));
  }
  return { data: result.data, lineOf: parsed.lineOf };
}

/**
 * One detail per zod issue (one per key for unknown keys). `knownKeys`, when
 * given, lists the fields allowed at a path so an unknown field can name them.
 */
export function zodIssuesToDetails(
  error: z.ZodError,
  file: string,
  lineOf: (path: readonly PathSegment[]) => number | undefined,
  knownKeys?: (path: readonly PathSegment[]) => readonly string[] | undefined,
): ConfigErrorDetail[] {
  const details: ConfigErrorDetail[] = [];
  for (const issue of error.issues) {
    const base = issue.path.filter((p): p is PathSegment => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        details.push({ file, line: lineOf([...base, key]), path: formatPath([...base, key]), expected: unknownField(key, knownKeys?.(base)) });
      }
      continue;
    }
    details.push({ file, line: lineOf(base), path: formatPath(base), expected: describeIssue(issue) });
  }
  return details;
}

function unknownField(key: string, known: readonly string[] | undefined): string {
  if (!known || known.length === 0) return `no field "${key}" here (unknown field)`;
  const guess = closestKey(key, known);
  const hint = guess ? `did you mean "${guess}"? ` : "";
  return `no field "${key}" (unknown field; ${hint}known fields: ${known.join(", ")})`;
}

/** zod's type names in the words of a YAML file. */
const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      // A schema's own message (e.g. "a duration such as ...") says more than the bare type.
      const custom = !issue.message.startsWith("Invalid input");
      const wanted = custom ? issue.message : (TYPE_WORDS[issue.expected] ?? issue.expected);
      if (issue.path.length === 0 && (issue.input === null || issue.input === undefined)) return `${wanted} of fields (the file is empty)`;
      return issue.input === undefined ? `${wanted} (the field is required)` : `${wanted}, got ${typeName(issue.input)}`;
    }
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union":
      // A discriminated union whose tag matched nothing carries our own message.
      return issue.message;
    case "too_small":
      return issue.origin === "array" ? `at least ${String(issue.minimum)} item(s)` : `a value >= ${String(issue.minimum)}${issue.inclusive ? "" : " (exclusive)"}`;
    case "too_big":
      return issue.origin === "array" ? `at most ${String(issue.maximum)} item(s)` : `a value <= ${String(issue.maximum)}`;
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
