import { describe, expect, it } from "vitest";
import { cloneItem } from "../../src/sim/clone-item.js";

describe("cloneItem (the simulated control table's copies)", () => {
  it("copies items deeply, key order kept, so neither side can change the other's", () => {
    const item = { pk: { S: "views#orders" }, tags: { L: [{ S: "a" }, { N: "1" }] }, m: { M: { x: { BOOL: true }, gone: undefined } }, bin: { B: new Uint8Array([1, 2]) } };
    const copy = cloneItem(item);
    expect(copy).toStrictEqual(structuredClone(item));
    expect(Object.keys(copy.m.M)).toEqual(["x", "gone"]);
    copy.tags.L[0]!.S = "changed";
    copy.bin.B[0] = 9;
    expect(item.tags.L[0]!.S).toBe("a");
    expect(item.bin.B[0]).toBe(1);
  });
});
