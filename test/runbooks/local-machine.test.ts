import { describe, expect, it } from "vitest";
import { localStateMachine } from "../../src/runbooks/local-machine.js";

const PASS = { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } };

describe("localStateMachine (ASL validated once per definition)", () => {
  it("runs a definition the same way the first time (validated) and after (cached)", async () => {
    for (let i = 0; i < 2; i++) {
      const machine = localStateMachine(structuredClone(PASS));
      expect(await machine.run({}).result).toEqual({ ok: true });
    }
  });

  it("rejects an invalid definition every time, not only the first", () => {
    const bad = { StartAt: "Missing", States: { P: { Type: "Pass", End: true } } };
    for (let i = 0; i < 2; i++) expect(() => localStateMachine(structuredClone(bad))).toThrow(/invalid/);
  });
});
