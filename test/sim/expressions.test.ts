// The DynamoDB expression subset the lease and the journal use
// (aws-apis.md: "Lease on a strongly consistent table").
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { ExpressionError, applyUpdate, evaluateCondition, type Item } from "../../src/sim/world/expressions.js";

const item = (o: Record<string, unknown>) => marshall(o) as Item;
const LEASE = "attribute_not_exists(pk) OR expiresAt < :now OR #owner = :me";
const names = { "#owner": "owner" };

describe("condition expressions", () => {
  it("aws-apis.md lease condition: free, expired, or already mine", () => {
    const values = item({ ":now": 1000, ":me": "a" });
    expect(evaluateCondition(LEASE, undefined, { names, values })).toBe(true);
    expect(evaluateCondition(LEASE, item({ pk: "p", owner: "b", expiresAt: 999 }), { names, values })).toBe(true);
    expect(evaluateCondition(LEASE, item({ pk: "p", owner: "a", expiresAt: 5000 }), { names, values })).toBe(true);
    expect(evaluateCondition(LEASE, item({ pk: "p", owner: "b", expiresAt: 1000 }), { names, values })).toBe(false);
  });

  it("compares numbers numerically and strings lexically; mixed types are false, never equal", () => {
    const ctx = { values: item({ ":n": 10, ":s": "10" }) };
    expect(evaluateCondition("x < :n", item({ x: 9 }), ctx)).toBe(true);
    expect(evaluateCondition("x < :n", item({ x: 100 }), ctx)).toBe(false);
    expect(evaluateCondition("x < :s", item({ x: "09" }), ctx)).toBe(true);
    expect(evaluateCondition("x < :s", item({ x: "100" }), ctx)).toBe(false);
    expect(evaluateCondition("x = :s", item({ x: 10 }), ctx)).toBe(false);
    expect(evaluateCondition("x <> :s", item({ x: 10 }), ctx)).toBe(true);
    expect(evaluateCondition("missing < :n", item({}), ctx)).toBe(false);
  });

  it("AND binds tighter than OR; NOT and parentheses", () => {
    const ctx = { values: item({ ":t": true, ":one": 1 }) };
    const i = item({ a: 1, b: 2 });
    expect(evaluateCondition("a = :one OR b = :one AND b = :one", i, ctx)).toBe(true);
    expect(evaluateCondition("(a = :one OR b = :one) AND b = :one", i, ctx)).toBe(false);
    expect(evaluateCondition("NOT b = :one", i, ctx)).toBe(true);
  });

  it("journal key conditions: begins_with, BETWEEN, IN, >", () => {
    const ctx = { values: item({ ":pk": "journal#x", ":p": "entry#", ":lo": "entry#00000002", ":hi": "entry#00000004", ":a": "a", ":b": "b" }) };
    const e = item({ pk: "journal#x", sk: "entry#00000003" });
    expect(evaluateCondition("pk = :pk AND begins_with(sk, :p)", e, ctx)).toBe(true);
    expect(evaluateCondition("pk = :pk AND sk BETWEEN :lo AND :hi", e, ctx)).toBe(true);
    expect(evaluateCondition("pk = :pk AND sk > :hi", e, ctx)).toBe(false);
    expect(evaluateCondition("sk IN (:a, :b)", e, ctx)).toBe(false);
  });

  it("an undefined placeholder is a validation error even on a short-circuited side", () => {
    expect(() => evaluateCondition("attribute_not_exists(pk) OR x = :missing", undefined, { values: {} })).toThrow(ExpressionError);
    expect(() => evaluateCondition("#nope = :v", item({}), { values: item({ ":v": 1 }) })).toThrow(/attribute name/);
    expect(() => evaluateCondition("a.b = :v", item({}), { values: item({ ":v": 1 }) })).toThrow(ExpressionError);
  });
});

describe("update expressions", () => {
  it("aws-apis.md lease update: SET owner and expiry, ADD epoch (absent counts as 0)", () => {
    const values = item({ ":me": "a", ":exp": 31_000, ":one": 1 });
    const first = applyUpdate("SET #owner = :me, expiresAt = :exp ADD epoch :one", item({ pk: "p", sk: "lease" }), { names, values });
    expect(first).toEqual(item({ pk: "p", sk: "lease", owner: "a", expiresAt: 31_000, epoch: 1 }));
    const second = applyUpdate("SET #owner = :me, expiresAt = :exp ADD epoch :one", first, { names, values });
    expect(second.epoch).toEqual({ N: "2" });
  });

  it("REMOVE, arithmetic and if_not_exists; the input item is not mutated", () => {
    const before = item({ pk: "p", owner: "a", n: 5 });
    const after = applyUpdate("SET n = n + :two, m = if_not_exists(m, :two) REMOVE #owner", before, { names, values: item({ ":two": 2 }) });
    expect(after).toEqual(item({ pk: "p", n: 7, m: 2 }));
    expect(before.owner).toEqual({ S: "a" });
  });

  it("ADD on a non-number is refused", () => {
    expect(() => applyUpdate("ADD s :one", item({ s: "x" }), { values: item({ ":one": 1 }) })).toThrow(ExpressionError);
  });
});
