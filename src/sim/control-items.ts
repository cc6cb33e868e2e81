// The simulated control table's items, keyed `pk|sk`, with a per-partition
// index kept beside it: a Query names one partition (the health views, one
// incident's journal), and filtering every item of the table on each of a
// run's thousands of view reads grew with every journal entry written.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;

/** The key an item is stored under: its `pk` and `sk`. */
export const itemKey = (pk: string | undefined, sk: string | undefined): string => `${pk ?? ""}|${sk ?? ""}`;

export class ControlItems extends Map<string, Item> {
  private readonly partitions = new Map<string, Map<string, Item>>();

  override set(key: string, item: Item): this {
    super.set(key, item);
    const pk = item.pk?.S ?? "";
    let part = this.partitions.get(pk);
    if (!part) this.partitions.set(pk, (part = new Map<string, Item>()));
    part.set(key, item);
    return this;
  }

  override delete(key: string): boolean {
    const item = this.get(key);
    if (item) this.partitions.get(item.pk?.S ?? "")?.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.partitions.clear();
    super.clear();
  }

  /** One partition's items in sort-key order, as a Query returns them. */
  partition(pk: string | undefined): Item[] {
    const part = this.partitions.get(pk ?? "");
    if (!part) return [];
    return [...part.values()].sort((a, b) => (a.sk?.S ?? "").localeCompare(b.sk?.S ?? ""));
  }
}
