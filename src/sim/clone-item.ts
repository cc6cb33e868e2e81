// Deep copies of the control table's items (DynamoDB AttributeValue maps),
// so the simulated table and its callers never share a mutable object.
// structuredClone did this through the V8 serializer, copying every string
// (health views are JSON strings) for ~8% of a sweep's CPU; items are plain
// objects, arrays and strings, which a walk copies for a fraction of that.
// Anything else (binary attributes, dates) still goes to structuredClone.

export function cloneItem<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}
