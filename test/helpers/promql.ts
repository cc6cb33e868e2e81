// Just enough PromQL and Prometheus text format to check a dashboard against
// what the daemon exports: the metric names and label names an expression
// uses, and the series and labels a registry's exposition really has.

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan"]);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

export interface ExprNames {
  /** Series names the expression selects (`failover_x_bucket`, not the family). */
  metrics: string[];
  /** Label names in matchers, per selected series: `{ failover_x: ["action"] }`. */
  matcherLabels: Record<string, string[]>;
  /** Label names in by/without/on/ignoring/group_* clauses. */
  groupingLabels: string[];
}

/** Grafana's $vars and ${vars} stand in for durations and values; they name no metric. */
const withoutGrafanaVars = (expr: string) => expr.replace(/\$\{[^}]*\}|\$\w+/g, "1m");

export function exprNames(expr: string): ExprNames {
  // Strings first, so a matcher value can never be read as a metric or label.
  let s = withoutGrafanaVars(expr).replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\[[^\]]*\]/g, " "); // range and subquery selectors
  const matcherLabels: Record<string, string[]> = {};
  s = s.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (_all, name: string | undefined, body: string) => {
    const labels = [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((m) => m[1]!);
    if (name) matcherLabels[name] = [...(matcherLabels[name] ?? []), ...labels];
    return name ? ` ${name} ` : " ";
  });
  const groupingLabels: string[] = [];
  s = s.replace(GROUPING, (_all, _kw, list: string) => {
    groupingLabels.push(...list.split(",").map((l) => l.trim()).filter(Boolean));
    return " ";
  });
  const metrics: string[] = [];
  for (const m of s.matchAll(IDENT)) {
    const before = s[m.index - 1] ?? " ";
    if (/[0-9.]/.test(before)) continue; // 1e3, 0.5
    if (/^\s*\(/.test(s.slice(m.index + m[0].length))) continue; // a function call
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    metrics.push(m[0]);
  }
  return { metrics: [...new Set(metrics)], matcherLabels, groupingLabels: [...new Set(groupingLabels)] };
}

/** `{{label}}` references of a Grafana legend format. */
export function legendLabels(legendFormat: string | undefined): string[] {
  return [...(legendFormat ?? "").matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
}

export interface Exposition {
  /** Every series name a scrape can return: families' names, plus _bucket/_sum/_count of histograms and summaries. */
  series: Set<string>;
  /** Label names seen on each series' samples (empty until the metric has a sample). */
  labels: Map<string, Set<string>>;
}

/** Reads Prometheus text exposition (prom-client's registry.metrics()). */
export function parseExposition(text: string): Exposition {
  const series = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      const names = kind === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : kind === "summary" ? [name, `${name}_sum`, `${name}_count`] : [name];
      for (const n of names) series.add(n);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+/.exec(line);
    if (!sample || line.startsWith("#")) continue;
    const set = labels.get(sample[1]!) ?? new Set<string>();
    for (const m of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) set.add(m[1]!);
    labels.set(sample[1]!, set);
  }
  return { series, labels };
}
