// The DynamoDB expression subset the controller's store uses, evaluated the
// way DynamoDB does (reference/aws-apis.md, "Lease on a strongly consistent
// table"):
//   conditions / key conditions: OR, AND, NOT, parentheses, = <> < <= > >=,
//     BETWEEN, IN, attribute_exists, attribute_not_exists, begins_with,
//     contains; comparisons of different types are false, never an error.
//   updates: SET a = v, a = v + w, a = v - w, a = if_not_exists(b, v);
//     REMOVE a; ADD a :n (numbers add, absent counts as 0; sets union).
// Operands are top-level attributes (name or #placeholder) and :values.
// Anything else is a ValidationException, as DynamoDB would answer.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export type Item = Record<string, AttributeValue>;

export class ExpressionError extends Error {}

type Token = { t: "name" | "value" | "op" | "num"; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|(<>|<=|>=|[=<>(),+-])|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(\S))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1]) out.push({ t: "name", v: m[1] });
    else if (m[2]) out.push({ t: "value", v: m[2] });
    else if (m[3]) out.push({ t: "op", v: m[3] });
    else if (m[4]) out.push({ t: "name", v: m[4] });
    else if (m[5]) out.push({ t: "num", v: m[5] });
    else if (m[6]) throw new ExpressionError(`Invalid expression: unexpected "${m[6]}" (nested paths are not modelled)`);
    if (/^\s*$/.test(text.slice(re.lastIndex))) break;
  }
  return out;
}

type Operand = { kind: "path"; name: string } | { kind: "value"; name: string };
type Cond =
  | { kind: "or" | "and"; a: Cond; b: Cond }
  | { kind: "not"; a: Cond }
  | { kind: "cmp"; op: string; a: Operand; b: Operand }
  | { kind: "between"; a: Operand; lo: Operand; hi: Operand }
  | { kind: "in"; a: Operand; list: Operand[] }
  | { kind: "fn"; fn: string; args: Operand[] };

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private kw(word: string): boolean {
    const t = this.peek();
    if (t?.t === "name" && t.v.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(op: string): void {
    const t = this.toks[this.i++];
    if (t?.v !== op) throw new ExpressionError(`Invalid expression: expected "${op}", got ${t ? `"${t.v}"` : "the end"}`);
  }
  done(): void {
    if (this.i < this.toks.length) throw new ExpressionError(`Invalid expression: unexpected "${this.toks[this.i]!.v}"`);
  }

  condition(): Cond {
    let a = this.conjunction();
    while (this.kw("OR")) a = { kind: "or", a, b: this.conjunction() };
    return a;
  }
  private conjunction(): Cond {
    let a = this.negation();
    while (this.kw("AND")) a = { kind: "and", a, b: this.negation() };
    return a;
  }
  private negation(): Cond {
    if (this.kw("NOT")) return { kind: "not", a: this.negation() };
    return this.primary();
  }
  private primary(): Cond {
    const t = this.peek();
    if (t?.v === "(") {
      this.i++;
      const c = this.condition();
      this.expect(")");
      return c;
    }
    if (t?.t === "name" && this.toks[this.i + 1]?.v === "(") {
      const fn = t.v.toLowerCase();
      if (!["attribute_exists", "attribute_not_exists", "begins_with", "contains"].includes(fn)) throw new ExpressionError(`Invalid function name: ${t.v}`);
      this.i += 2;
      const args = [this.operand()];
      while (this.peek()?.v === ",") {
        this.i++;
        args.push(this.operand());
      }
      this.expect(")");
      return { kind: "fn", fn, args };
    }
    const a = this.operand();
    if (this.kw("BETWEEN")) {
      const lo = this.operand();
      if (!this.kw("AND")) throw new ExpressionError("Invalid expression: BETWEEN needs AND");
      return { kind: "between", a, lo, hi: this.operand() };
    }
    if (this.kw("IN")) {
      this.expect("(");
      const items = [this.operand()];
      while (this.peek()?.v === ",") {
        this.i++;
        items.push(this.operand());
      }
      this.expect(")");
      return { kind: "in", a, list: items };
    }
    const op = this.toks[this.i++];
    if (op?.t !== "op" || !["=", "<>", "<", "<=", ">", ">="].includes(op.v)) {
      throw new ExpressionError(`Invalid expression: expected a comparison after an operand, got ${op ? `"${op.v}"` : "the end"}`);
    }
    return { kind: "cmp", op: op.v, a, b: this.operand() };
  }
  operand(): Operand {
    const t = this.toks[this.i++];
    if (t?.t === "value") return { kind: "value", name: t.v };
    if (t?.t === "name") return { kind: "path", name: t.v };
    throw new ExpressionError(`Invalid expression: expected an attribute or a :value, got ${t ? `"${t.v}"` : "the end"}`);
  }
  // ----- update expressions -----
  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    while (this.peek()) {
      const clause = this.toks[this.i++]!.v.toUpperCase();
      do {
        const path = this.operand();
        if (path.kind !== "path") throw new ExpressionError("Invalid UpdateExpression: expected an attribute name");
        if (clause === "SET") {
          this.expect("=");
          actions.push({ kind: "set", path: path.name, value: this.setValue() });
        } else if (clause === "REMOVE") actions.push({ kind: "remove", path: path.name });
        else if (clause === "ADD") actions.push({ kind: "add", path: path.name, value: this.operand() });
        else throw new ExpressionError(`Invalid UpdateExpression: unsupported clause ${clause}`);
      } while (this.peek()?.v === "," && ++this.i);
    }
    return actions;
  }
  private setValue(): SetValue {
    const t = this.peek();
    if (t?.t === "name" && t.v.toLowerCase() === "if_not_exists" && this.toks[this.i + 1]?.v === "(") {
      this.i += 2;
      const path = this.operand();
      this.expect(",");
      const fallback = this.operand();
      this.expect(")");
      return { kind: "if_not_exists", path, fallback };
    }
    const a = this.operand();
    const op = this.peek();
    if (op?.v === "+" || op?.v === "-") {
      this.i++;
      return { kind: "arith", op: op.v, a, b: this.operand() };
    }
    return { kind: "operand", a };
  }
}

type SetValue = { kind: "operand"; a: Operand } | { kind: "arith"; op: "+" | "-"; a: Operand; b: Operand } | { kind: "if_not_exists"; path: Operand; fallback: Operand };
type UpdateAction = { kind: "set"; path: string; value: SetValue } | { kind: "remove"; path: string } | { kind: "add"; path: string; value: Operand };

const condCache = new Map<string, Cond>();
const updateCache = new Map<string, UpdateAction[]>();

function parseCondition(text: string): Cond {
  let c = condCache.get(text);
  if (!c) {
    const p = new Parser(tokenize(text));
    c = p.condition();
    p.done();
    condCache.set(text, c);
  }
  return c;
}

function parseUpdate(text: string): UpdateAction[] {
  let u = updateCache.get(text);
  if (!u) {
    u = new Parser(tokenize(text)).update();
    if (u.length === 0) throw new ExpressionError("Invalid UpdateExpression: empty");
    updateCache.set(text, u);
  }
  return u;
}

export interface ExpressionContext {
  names?: Record<string, string> | undefined;
  values?: Item | undefined;
}

function attrName(name: string, ctx: ExpressionContext): string {
  if (!name.startsWith("#")) return name;
  const real = ctx.names?.[name];
  if (real === undefined) throw new ExpressionError(`An expression attribute name used in the document path is not defined; attribute name: ${name}`);
  return real;
}

function resolve(op: Operand, item: Item | undefined, ctx: ExpressionContext): AttributeValue | undefined {
  if (op.kind === "value") {
    const v = ctx.values?.[op.name];
    if (v === undefined) throw new ExpressionError(`An expression attribute value used in expression is not defined; attribute value: ${op.name}`);
    return v;
  }
  return item?.[attrName(op.name, ctx)];
}

/** -1, 0, 1 for comparable values of the same scalar type; undefined otherwise. */
export function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (a?.N !== undefined && b?.N !== undefined) return Math.sign(Number(a.N) - Number(b.N));
  if (a?.S !== undefined && b?.S !== undefined) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  if (a?.BOOL !== undefined && b?.BOOL !== undefined) return a.BOOL === b.BOOL ? 0 : undefined;
  if (a?.NULL !== undefined && b?.NULL !== undefined) return 0;
  return undefined;
}

function evalCond(c: Cond, item: Item | undefined, ctx: ExpressionContext): boolean {
  switch (c.kind) {
    case "or":
      // Both sides are checked for undefined placeholders, as DynamoDB validates the whole expression.
      return [evalCond(c.a, item, ctx), evalCond(c.b, item, ctx)].some(Boolean);
    case "and":
      return [evalCond(c.a, item, ctx), evalCond(c.b, item, ctx)].every(Boolean);
    case "not":
      return !evalCond(c.a, item, ctx);
    case "cmp": {
      const r = compareValues(resolve(c.a, item, ctx), resolve(c.b, item, ctx));
      if (c.op === "<>") return r !== 0;
      if (r === undefined) return false;
      return c.op === "=" ? r === 0 : c.op === "<" ? r < 0 : c.op === "<=" ? r <= 0 : c.op === ">" ? r > 0 : r >= 0;
    }
    case "between": {
      const v = resolve(c.a, item, ctx);
      const lo = compareValues(v, resolve(c.lo, item, ctx));
      const hi = compareValues(v, resolve(c.hi, item, ctx));
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case "in": {
      const v = resolve(c.a, item, ctx);
      return c.list.map((o) => resolve(o, item, ctx)).some((x) => compareValues(v, x) === 0);
    }
    case "fn": {
      const [p, q] = c.args;
      if (!p) throw new ExpressionError(`Invalid function call: ${c.fn} needs arguments`);
      if (c.fn === "attribute_exists" || c.fn === "attribute_not_exists") {
        if (p.kind !== "path") throw new ExpressionError(`${c.fn} takes an attribute path`);
        const exists = item?.[attrName(p.name, ctx)] !== undefined;
        return c.fn === "attribute_exists" ? exists : !exists;
      }
      if (!q) throw new ExpressionError(`Invalid function call: ${c.fn} needs two arguments`);
      const a = resolve(p, item, ctx);
      const b = resolve(q, item, ctx);
      if (c.fn === "begins_with") return a?.S !== undefined && b?.S !== undefined && a.S.startsWith(b.S);
      if (a?.S !== undefined && b?.S !== undefined) return a.S.includes(b.S);
      if (a?.SS !== undefined && b?.S !== undefined) return a.SS.includes(b.S);
      if (a?.NS !== undefined && b?.N !== undefined) return a.NS.map(Number).includes(Number(b.N));
      return false;
    }
  }
}

/** Evaluates a ConditionExpression (or KeyConditionExpression) against an item (undefined: absent). */
export function evaluateCondition(text: string, item: Item | undefined, ctx: ExpressionContext): boolean {
  return evalCond(parseCondition(text), item, ctx);
}

/** Applies an UpdateExpression to a copy of `item` (undefined: a new item holding only its key). */
export function applyUpdate(text: string, item: Item, ctx: ExpressionContext): Item {
  const out: Item = structuredClone(item);
  for (const a of parseUpdate(text)) {
    const name = attrName(a.path, ctx);
    if (a.kind === "remove") {
      delete out[name];
    } else if (a.kind === "set") {
      out[name] = setValue(a.value, item, ctx);
    } else {
      const v = resolve(a.value, item, ctx)!;
      const cur = out[name];
      if (v.N !== undefined) {
        if (cur !== undefined && cur.N === undefined) throw new ExpressionError("An operand in the update expression has an incorrect data type");
        out[name] = { N: String(Number(cur?.N ?? 0) + Number(v.N)) };
      } else if (v.SS !== undefined) out[name] = { SS: [...new Set([...(cur?.SS ?? []), ...v.SS])] };
      else if (v.NS !== undefined) out[name] = { NS: [...new Set([...(cur?.NS ?? []), ...v.NS])] };
      else throw new ExpressionError("ADD takes a number or a set");
    }
  }
  return out;
}

function setValue(v: SetValue, item: Item, ctx: ExpressionContext): AttributeValue {
  if (v.kind === "operand") {
    const x = resolve(v.a, item, ctx);
    if (x === undefined) throw new ExpressionError("The provided expression refers to an attribute that does not exist in the item");
    return x;
  }
  if (v.kind === "if_not_exists") return resolve(v.path, item, ctx) ?? resolve(v.fallback, item, ctx)!;
  const a = resolve(v.a, item, ctx);
  const b = resolve(v.b, item, ctx);
  if (a?.N === undefined || b?.N === undefined) throw new ExpressionError("An operand in the update expression has an incorrect data type");
  return { N: String(v.op === "+" ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N)) };
}
