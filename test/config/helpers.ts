// Shared by the config tests: the error a text must produce, and line lookup.
import { ConfigError } from "../../src/core/index.js";
import { parseConfigText } from "../../src/config/index.js";

/** The ConfigError that parsing `text` must throw. */
export function problemsOf(text: string): ConfigError {
  try {
    parseConfigText(text, "c.yaml");
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line contains ${needle}`);
  return index + 1;
}
