// The DynamoDB expression subset the control table uses (coordination/ and
// the runbooks' fences): conditions joined by OR/AND (no parentheses) over
// attribute_exists/attribute_not_exists and comparisons; updates with SET,
// ADD and REMOVE clauses. Anything else is refused loudly, not guessed.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;
type Ctx = { names: Record<string, string>; values: Item };

const scalar = (v: AttributeValue | undefined): string | number | boolean | undefined =>
  v === undefined ? undefined : v.S !== undefined ? v.S : v.N !== undefined ? Number(v.N) : v.BOOL !== undefined ? v.BOOL : undefined;

function attrName(token: string, ctx: Ctx): string {
  const t = token.trim();
  if (t.startsWith("#")) {
    const name = ctx.names[t];
    if (name === undefined) throw new Error(`ExpressionAttributeNames has no ${t}`);
    return name;
  }
  return t;
}

function operand(token: string, item: Item | undefined, ctx: Ctx): AttributeValue | undefined {
  const t = token.trim();
  if (t.startsWith(":")) {
    const v = ctx.values[t];
    if (v === undefined) throw new Error(`ExpressionAttributeValues has no ${t}`);
    return v;
  }
  return item?.[attrName(t, ctx)];
}

function term(expr: string, item: Item | undefined, ctx: Ctx): boolean {
  const e = expr.trim();
  const fn = /^(attribute_exists|attribute_not_exists)\(\s*([^)]+)\)$/.exec(e);
  if (fn) {
    const present = item?.[attrName(fn[2]!, ctx)] !== undefined;
    return fn[1] === "attribute_exists" ? present : !present;
  }
  const cmp = /^(.+?)\s*(<=|>=|<>|=|<|>)\s*(.+)$/.exec(e);
  if (!cmp) throw new Error(`unsupported condition term: ${e}`);
  const a = scalar(operand(cmp[1]!, item, ctx));
  const b = scalar(operand(cmp[3]!, item, ctx));
  if (a === undefined || b === undefined) return cmp[2] === "<>" ? a !== b : false;
  switch (cmp[2]) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

export function evaluateCondition(expr: string | undefined, item: Item | undefined, ctx: Ctx): boolean {
  if (!expr) return true;
  return expr.split(/\s+OR\s+/).some((conj) => conj.split(/\s+AND\s+/).every((t) => term(t, item, ctx)));
}

export function applyUpdate(expr: string, item: Item, ctx: Ctx): Item {
  const out: Item = { ...item };
  const clauses = expr.split(/\b(?=SET\s|ADD\s|REMOVE\s)/).map((c) => c.trim()).filter(Boolean);
  for (const clause of clauses) {
    const [, verb, body] = /^(SET|ADD|REMOVE)\s+(.*)$/s.exec(clause) ?? [];
    if (!verb || body === undefined) throw new Error(`unsupported update clause: ${clause}`);
    for (const part of body.split(",").map((p) => p.trim()).filter(Boolean)) {
      if (verb === "REMOVE") {
        delete out[attrName(part, ctx)];
      } else if (verb === "SET") {
        const [lhs, rhs] = part.split("=").map((x) => x.trim());
        const v = operand(rhs ?? "", out, ctx);
        if (!lhs || v === undefined) throw new Error(`unsupported SET: ${part}`);
        out[attrName(lhs, ctx)] = v;
      } else {
        const [lhs, rhs] = part.split(/\s+/);
        const add = operand(rhs ?? "", out, ctx);
        const name = attrName(lhs ?? "", ctx);
        if (add?.N === undefined) throw new Error(`unsupported ADD: ${part}`);
        out[name] = { N: String(Number(out[name]?.N ?? 0) + Number(add.N)) };
      }
    }
  }
  return out;
}
