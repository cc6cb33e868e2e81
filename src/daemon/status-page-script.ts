// The status page's script, as plain browser JavaScript (no build step).
// Rules it keeps: every string from the daemon reaches the DOM through
// textContent, a Text node or setAttribute on a fixed list of inert
// attributes (never innerHTML, never an href or an event attribute); every
// number is shown with its unit and rounded for a person; times are measured
// on the controllers' clock (/status nowMs), which is virtual in the sandbox.
// Written with String.raw and without template literals, so nothing in it is
// interpolated by TypeScript.

export const STATUS_PAGE_SCRIPT = String.raw`
"use strict";
var HOUR_MS = 3600000;
var state = { status: null, history: [], incidents: null, incidentsError: "", open: null, details: {}, lastOkMs: 0 };
var $ = function (id) { return document.getElementById(id); };
var SAFE_ATTRS = { "class": 1, title: 1, role: 1, tabindex: 1, colspan: 1, hidden: 1, "aria-expanded": 1, "aria-label": 1, "data-state": 1, "data-status": 1, "data-incident": 1, "data-label": 1 };

function el(tag, attrs) {
  var e = document.createElement(tag);
  setAttrs(e, attrs);
  for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
  return e;
}
function setAttrs(e, attrs) {
  if (!attrs) return;
  for (var k in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null) continue;
    if (!SAFE_ATTRS[k]) throw new Error("attribute not allowed: " + k);
    e.setAttribute(k, String(attrs[k]));
  }
}
function add(parent, kid) {
  if (kid === undefined || kid === null || kid === false) return;
  if (Array.isArray(kid)) { kid.forEach(function (k) { add(parent, k); }); return; }
  parent.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
}
var SVG_NS = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  var e = document.createElementNS(SVG_NS, tag);
  for (var k in attrs) e.setAttribute(k, typeof attrs[k] === "number" ? String(Math.round(attrs[k] * 100) / 100) : String(attrs[k]));
  return e;
}
function fill(id) { var t = $(id); var kids = []; for (var i = 1; i < arguments.length; i++) add({ appendChild: function (n) { kids.push(n); } }, arguments[i]); t.replaceChildren.apply(t, kids); }
// labels: the column names, repeated on each cell so a phone-width layout can stack a row as "label: value" lines.
function row(cells, header, attrs, labels) {
  return el("tr", attrs, cells.map(function (c, i) {
    var label = labels ? { "data-label": labels[i] } : null;
    if (c && typeof c === "object" && !(c instanceof Node) && !Array.isArray(c)) return el(header ? "th" : "td", Object.assign({}, label, c.attrs), c.text);
    return el(header ? "th" : "td", label, c);
  }));
}

// Durations: "447 ms", "4.2 s", "42 s", "4m40s", "1h05m"; null or Infinity is "n/a".
function dur(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return "n/a";
  var sign = ms < 0 ? "-" : ""; ms = Math.abs(ms);
  if (ms < 1000) return sign + Math.round(ms) + " ms";
  if (ms < 10000) return sign + (Math.round(ms / 100) / 10) + " s";
  if (ms < 60000) return sign + Math.round(ms / 1000) + " s";
  if (ms < HOUR_MS) { var s = Math.round(ms / 1000); return sign + Math.floor(s / 60) + "m" + pad(s % 60) + "s"; }
  var m = Math.round(ms / 60000); return sign + Math.floor(m / 60) + "h" + pad(m % 60) + "m";
}
function pad(n) { return n < 10 ? "0" + n : String(n); }
function now() { return state.status && typeof state.status.nowMs === "number" ? state.status.nowMs : Date.now(); }
function ago(atMs) { return typeof atMs === "number" ? dur(Math.max(0, now() - atMs)) + " ago" : "never"; }
function stamp(atMs) { return typeof atMs === "number" ? new Date(atMs).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : ""; }
// Reasons come from the policy with raw figures ("lag 1082.6157031580806ms"): shown rounded, with the unit.
function human(text) { return String(text).replace(/\b(\d+(?:\.\d+)?)ms\b/g, function (_, n) { return dur(Number(n)); }); }
var TERM_NAMES = { detection: "detection", decision: "decision", promotion: "promotion", "traffic-flip": "traffic flip", "dns-ttl": "DNS TTL" };
function str(v) { return v === undefined || v === null || v === "" ? "?" : String(v); }
function maxViewAgeMs() { var p = state.status && state.status.policy; return p && typeof p.maxViewAgeMs === "number" ? p.maxViewAgeMs : 30000; }

function controllers() { return (state.status && state.status.controllers) || []; }
function freshest() {
  var t = function (c) { return typeof c.nowMs === "number" ? c.nowMs : (c.lastCycle && c.lastCycle.atMs) || 0; };
  return controllers().slice().sort(function (a, b) { return t(b) - t(a) || ((b.lastCycle && b.lastCycle.atMs) || 0) - ((a.lastCycle && a.lastCycle.atMs) || 0); })[0] || {};
}
function latestViews() {
  var views = new Map();
  controllers().forEach(function (c) { (c.views || []).forEach(function (v) { var had = views.get(v.observer); if (!had || had.atMs < v.atMs) views.set(v.observer, v); }); });
  return Array.from(views.values()).sort(function (a, b) { return String(a.observer).localeCompare(String(b.observer)); });
}
function regionsOf(views) {
  var set = new Set();
  views.forEach(function (v) { Object.keys(v.regions || {}).forEach(function (r) { set.add(r); }); });
  return Array.from(set).sort();
}

function renderNow() {
  var s = state.status, first = freshest();
  $("application").textContent = str(s.application);
  $("active-region").textContent = first.activeRegion || "unknown";
  fill("writer-region", first.writerRegion || "unknown", writerDispute(first.writerClaims));
  var holder = controllers().find(function (c) { return c.lease && c.lease.heldByMe; });
  var lease = (holder || first).lease || {};
  var live = typeof lease.expiresAtMs === "number" && lease.expiresAtMs >= now();
  if (holder || (lease.holder && live)) $("lease").textContent = (holder ? holder.controllerId : lease.holder) + " (epoch " + str(lease.epoch) + (live ? ", expires in " + dur(lease.expiresAtMs - now()) : "") + ")";
  else $("lease").textContent = "free (epoch " + str(lease.epoch) + (lease.holder ? ", last held by " + lease.holder + (typeof lease.expiresAtMs === "number" ? ", expired " + ago(lease.expiresAtMs) : "") : "") + ")";
  var d = first.lastDecision;
  fill("decision", d ? [el("b", d.action === "escalate" ? { "class": "fail" } : null, d.action), " ", el("span", { "class": "muted" }, human([d.reason, d.detail].filter(Boolean).join(": ")))] : "none yet");
  var p = s.policy;
  $("policy").textContent = p ? p.mode + ", RTO " + dur(p.rtoMs) + ", RPO " + dur(p.rpoMs) + ", a view is stale after " + dur(p.maxViewAgeMs) : "unknown (daemon started without its config)";
  fill("plan", planNote(s.budget));
}

// Regions' RDS APIs naming different writers: an old primary Aurora has not fenced (writer-disagreement).
function writerDispute(claims) {
  if (!claims) return "";
  var said = Object.keys(claims).sort().map(function (r) { return r + " names " + claims[r]; }).join(", ");
  return [" ", el("span", { "class": "fail" }, "disputed: " + said)];
}

// What validate says about the config, shown at all times: a plan that cannot keep the RTO,
// or cannot recover from some failure, is news before the incident, not during it.
function planNote(b) {
  if (!b) return el("span", { "class": "muted" }, "unknown (daemon started without its config)");
  var worst = "worst case " + (typeof b.totalMs === "number" ? dur(b.totalMs) : "never") + " of an RTO of " + dur(b.rtoMs);
  var problems = b.problems || [];
  if (!problems.length) return el("span", null, el("span", { "class": "ok" }, "fits"), " ", el("span", { "class": "muted" }, worst));
  return [el("span", { "class": "fail" }, problems.length + (problems.length === 1 ? " problem" : " problems") + " (failover validate exits 1)"), " ", el("span", { "class": "muted" }, worst),
    el("ul", { "class": "problems" }, problems.map(function (t) { return el("li", null, t); }))];
}

function renderViews() {
  var views = latestViews(), regions = regionsOf(views), limit = maxViewAgeMs(), stale = 0;
  var rows = views.map(function (v) {
    var age = now() - v.atMs, old = age > limit;
    if (old) stale++;
    var who = el("td", null, el("b", null, v.observer), el("span", { "class": "when" }, el("span", { "class": "age" }, dur(Math.max(0, age)) + " ago"), old ? el("span", { "class": "badge stale", title: "older than maxViewAge " + dur(limit) + ": the policy does not count this view" }, "stale") : null));
    return el("tr", { "class": old ? "stale" : "fresh", "data-state": old ? "stale" : "fresh" }, who, regions.map(function (r) {
      var h = v.regions[r];
      return h ? el("td", { "class": h.state, title: h.state + " since " + ago(h.sinceMs) + ", error rate " + Math.round(h.errorRate * 100) + " %" }, h.state) : el("td", null, "");
    }));
  });
  fill("health", row(["observer (view age)"].concat(regions), true), rows);
  $("views-note").textContent = views.length === 0 ? "no views yet" : stale > 0 ? stale + " of " + views.length + " views are stale (older than " + dur(limit) + "): greyed, and not counted by the policy" : "all " + views.length + " views are fresher than " + dur(limit);
}

function renderLag() {
  var lag = freshest().lag || { auroraLagMs: {}, dynamodbLagMs: {} };
  var regions = Array.from(new Set(Object.keys(lag.auroraLagMs || {}).concat(Object.keys(lag.dynamodbLagMs || {})))).sort();
  fill("lag", row(["into region", "Aurora", "DynamoDB"], true), regions.map(function (r) {
    return row([r, { text: dur(lag.auroraLagMs[r]), attrs: { "class": "num" } }, { text: dur(lag.dynamodbLagMs[r]), attrs: { "class": "num" } }]);
  }), regions.length === 0 ? el("tr", null, el("td", { colspan: 3, "class": "muted" }, "no reading yet")) : null, typeof lag.atMs === "number" ? el("tr", null, el("td", { colspan: 3, "class": "age" }, "read " + ago(lag.atMs))) : null);
}

function renderIncident() {
  var holder = controllers().find(function (c) { return c.incident && c.runbookProgress; }) || controllers().find(function (c) { return c.incident; });
  var box = $("incident");
  if (!holder) {
    var last = state.incidents && state.incidents[0];
    fill("incident", el("div", null, "none"), last ? el("div", { "class": "muted" }, "last: " + last.from + " → " + str(last.to) + " " + ago(last.endedAtMs || last.openedAtMs) + " (" + last.state + (typeof last.rtoMs === "number" ? ", RTO " + dur(last.rtoMs) : "") + ")") : null);
    box.setAttribute("data-state", "none");
    return;
  }
  var inc = holder.incident, elapsed = now() - inc.openedAtMs;
  box.setAttribute("data-state", inc.state);
  var head = el("div", null, el("b", null, inc.from + " → " + str(inc.to)), " ", el("span", { "class": "badge" }, inc.mode || "?"), el("span", { "class": "badge" + (inc.state === "awaiting-approval" ? " warn" : "") }, inc.state), " ", el("span", { "class": "age" }, inc.id + ", epoch " + str(inc.epoch)));
  var approval = inc.state === "awaiting-approval" ? el("div", { "class": "fail" }, "waiting for an operator: failover approve " + inc.id + " --config <file> (or reject)") : null;
  var exec = holder.execution || (controllers().find(function (c) { return c.execution; }) || {}).execution;
  fill("incident", head, approval, exec ? executionLine(exec) : null, budgetBar(elapsed, typeof inc.expectedDataLossMs === "number" ? inc.expectedDataLossMs : null), holder.runbookProgress ? pathList(holder.runbookProgress) : el("div", { "class": "muted" }, "runbook progress unknown"));
}

// Engine step-functions: the execution acting for the incident. The console address is
// shown as text to copy, not as a link (no href is ever built from the daemon's strings).
function executionLine(x) {
  var since = x.state && typeof x.stateSinceMs === "number" ? " for " + dur(Math.max(0, now() - x.stateSinceMs)) : "";
  return el("div", { "class": "execution", "data-status": x.status },
    el("div", null, "Step Functions execution ", el("b", { "class": x.status === "FAILED" || x.status === "TIMED_OUT" || x.status === "ABORTED" ? "fail" : null }, str(x.status)), " in " + str(x.region), x.state ? ", in " + x.state + since : "",
      x.lastError ? el("span", { "class": "fail" }, " (last poll failed: " + x.lastError + ")") : null),
    el("div", { "class": "age", title: "the execution in the Step Functions console" }, str(x.executionArn), el("br", null), str(x.consoleUrl)));
}

function budgetBar(elapsed, lossMs) {
  var b = state.status.budget, rto = (b && b.rtoMs) || (state.status.policy && state.status.policy.rtoMs) || 0;
  var scale = Math.max(rto, elapsed, 1), total = b && typeof b.totalMs === "number" ? b.totalMs : null;
  var cls = elapsed > rto ? "fill over" : total !== null && elapsed > total ? "fill late" : "fill";
  var bar = el("div", { "class": "bar", role: "img", "aria-label": "elapsed " + dur(elapsed) + " of RTO " + dur(rto) });
  var f = el("div", { "class": cls }); f.style.width = (100 * Math.min(elapsed, scale) / scale) + "%"; bar.appendChild(f);
  var mark = el("div", { "class": "rto" }); mark.style.left = "calc(" + (100 * rto / scale) + "% - 2px)"; bar.appendChild(mark);
  var out = [el("div", null, el("b", null, dur(elapsed)), " since the first DOWN, of an RTO of ", el("b", null, dur(rto)), " (" + (elapsed <= rto ? dur(rto - elapsed) + " left" : dur(elapsed - rto) + " over") + ")", lossMs !== null ? ", data loss accepted: " + dur(lossMs) : ""), bar];
  if (b && b.terms) {
    var strip = el("div", { "class": "terms", title: "the budget's worst case, term by term" });
    var legend = el("ul", { "class": "legend" });
    b.terms.forEach(function (t, i) {
      var seg = el("span", { "class": "t" + (i % 5), title: t.name + ": " + t.formula });
      seg.style.width = (typeof t.ms === "number" ? 100 * t.ms / scale : 0) + "%";
      strip.appendChild(seg);
      legend.appendChild(el("li", { title: t.formula }, el("i", { "class": "t" + (i % 5) }), (TERM_NAMES[t.name] || t.name) + " " + dur(t.ms)));
    });
    legend.appendChild(el("li", null, "worst case " + dur(b.totalMs) + (b.fits ? " fits" : " does NOT fit") + " (margin " + dur(b.marginMs) + ")"));
    (b.problems || []).forEach(function (t) { legend.appendChild(el("li", { "class": "fail" }, t)); });
    out.push(strip, legend);
  }
  return out;
}

var MARKS = { done: "✓", running: "▶", failed: "✗", "to-come": "○" };
function pathList(p) {
  var list = el("ol", { "class": "path", "aria-label": "runbook " + p.runbook + ", state by state" });
  p.steps.forEach(function (s, i) {
    var when, laterRan = p.steps.slice(i + 1).some(function (n) { return n.status !== "to-come"; });
    if (s.status === "done") when = "done in " + dur((s.endedAtMs || 0) - (s.startedAtMs || 0));
    else if (s.status === "running") when = "running for " + dur(now() - s.startedAtMs);
    else if (s.status === "failed") when = (laterRan ? "failed, went on: " : "failed: ") + str(s.error);
    else when = "to come";
    var sub = [s.type, s.action ? s.action + (s.region ? " in " + s.region : "") : null, s.runs > 1 ? s.runs + " runs" : null].filter(Boolean).join(" · ");
    list.appendChild(el("li", { "class": s.status, "data-status": s.status }, el("span", { "class": "mark" }, MARKS[s.status] || "?"), el("span", { "class": "what" }, s.state, el("small", null, sub)), el("span", { "class": "when" }, when)));
  });
  return [el("div", { "class": "rowlabel" }, "runbook ", el("b", null, p.runbook), ", started " + ago(p.startedAtMs)), list];
}

function renderHistory() {
  var samples = state.history;
  if (!samples.length) { fill("health-history", el("span", { "class": "muted" }, "collecting: one sample per control cycle")); fill("lag-chart"); return; }
  var end = now(), start = Math.max(end - HOUR_MS, samples[0].atMs), span = Math.max(end - start, 60000);
  start = end - span;
  var W = 600, x = function (t) { return W * (t - start) / span; };
  var regions = Array.from(new Set(samples.flatMap(function (s) { return Object.keys(s.health); }))).sort();
  var out = [];
  regions.forEach(function (r) {
    var g = svg("svg", { "class": "timeline", viewBox: "0 0 " + W + " 16", preserveAspectRatio: "none", role: "img", "aria-label": "health of " + r + " over " + dur(span) });
    // One band per run of equal states (drawn sample by sample, anti-aliased seams would stripe the bar).
    var runs = [];
    samples.forEach(function (s) {
      var st = s.health[r] || "UNKNOWN", last = runs[runs.length - 1];
      if (last && last.state === st) return;
      if (last) last.toMs = s.atMs;
      runs.push({ state: st, fromMs: s.atMs, toMs: end });
    });
    runs.forEach(function (b) {
      var from = Math.max(b.fromMs, start);
      var rect = svg("rect", { x: x(from), y: 0, width: Math.max(0.5, x(b.toMs) - x(from)), height: 16, "class": b.state, "shape-rendering": "crispEdges" });
      var tip = svg("title", {}); tip.textContent = r + " " + b.state + " for " + dur(b.toMs - b.fromMs) + ", from " + ago(b.fromMs); rect.appendChild(tip);
      g.appendChild(rect);
    });
    var worst = samples.some(function (s) { return s.health[r] === "DOWN"; }) ? "DOWN" : samples.some(function (s) { return s.health[r] === "DEGRADED"; }) ? "DEGRADED" : "";
    out.push(el("div", { "class": "rowlabel" }, el("b", null, r), " now ", el("span", { "class": "state " + (samples[samples.length - 1].health[r] || "UNKNOWN") }, samples[samples.length - 1].health[r] || "UNKNOWN"), worst ? el("span", { "class": "age" }, " (was " + worst + " in this window)") : null), g);
  });
  out.push(axis(span), el("ul", { "class": "legend" }, ["UP", "DEGRADED", "DOWN", "UNKNOWN"].map(function (st) { return el("li", null, el("span", { "class": "state " + st }, st)); }), el("li", null, "as most fresh observers see it, one sample per cycle (" + samples.length + ")")));
  fill("health-history", out);
  renderLagChart(samples, start, end, span, W, x);
}
function axis(span) { return el("div", { "class": "axis" }, el("span", null, "-" + dur(span)), el("span", null, "-" + dur(span / 2)), el("span", null, "now")); }

function renderLagChart(samples, start, end, span, W, x) {
  var series = Array.from(new Set(samples.flatMap(function (s) { return Object.keys(s.auroraLagMs); }))).sort();
  if (!series.length) { fill("lag-chart"); return; }
  var max = 1;
  samples.forEach(function (s) { series.forEach(function (r) { var v = s.auroraLagMs[r]; if (typeof v === "number" && v > max) max = v; }); });
  var H = 60, g = svg("svg", { "class": "timeline", viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img", "aria-label": "Aurora replication lag over " + dur(span) + ", up to " + dur(max) });
  g.appendChild(svg("line", { x1: 0, y1: H - 1, x2: W, y2: H - 1, "class": "grid" }));
  var legend = el("ul", { "class": "legend" });
  series.forEach(function (r, i) {
    var pts = samples.filter(function (s) { return typeof s.auroraLagMs[r] === "number" && s.atMs >= start; }).map(function (s) { return x(s.atMs).toFixed(1) + "," + (H - 2 - (H - 4) * s.auroraLagMs[r] / max).toFixed(1); });
    if (pts.length === 1) pts.push((W).toFixed(1) + "," + pts[0].split(",")[1]);
    g.appendChild(svg("polyline", { points: pts.join(" "), "class": "lag" + (i % 4) }));
    legend.appendChild(el("li", null, el("i", { "class": "sw" + (i % 4) }), r + " now " + dur(samples[samples.length - 1].auroraLagMs[r])));
  });
  legend.appendChild(el("li", null, "top of chart: " + dur(max)));
  fill("lag-chart", el("div", { "class": "rowlabel" }, "Aurora lag, last " + dur(span)), g, axis(span), legend);
}

function incidentWho(i) {
  var who = i.trigger === "operator" ? "operator" : i.trigger === "policy" ? "automatic" : "?";
  // forcedBy: written by an operator's --force override where the controller records one.
  if (i.forcedBy) who += ", forced by " + i.forcedBy;
  if (i.approvedBy) who += ", approved by " + i.approvedBy;
  else if (i.approvalRequired) who += ", approval required";
  return who;
}
function renderIncidents() {
  var list = state.incidents;
  if (list === null) { fill("incidents", el("tr", null, el("td", { "class": "muted" }, state.incidentsError || "loading…"))); return; }
  var heads = ["when", "from → to", "mode", "who", "RTO", "data loss", "state"];
  var rows = [row(heads.map(function (h) {
    if (h === "RTO") return { text: h, attrs: { title: "first DOWN by quorum to the runbook's end; clients may keep the old DNS answer up to the TTL longer" } };
    if (h === "data loss") return { text: h, attrs: { title: "replication lag into the target when the runbook started: the writes it gave up (0 for a planned switchover)" } };
    return h;
  }), true)];
  list.forEach(function (i) {
    var open = state.open === i.id;
    var tr = row([{ text: ago(i.openedAtMs), attrs: { title: stamp(i.openedAtMs) } }, i.from + " → " + str(i.to), str(i.mode), incidentWho(i), { text: typeof i.rtoMs === "number" ? dur(i.rtoMs) : i.state === "acting" || i.state === "awaiting-approval" || i.state === "open" ? "in progress" : i.state === "resolved" ? "?" : "n/a", attrs: { "class": "num" } }, { text: typeof i.expectedDataLossMs === "number" ? dur(i.expectedDataLossMs) : "unknown", attrs: { "class": "num" } }, i.state], false,
      { "class": "incident" + (open ? " open" : ""), tabindex: 0, role: "button", "aria-expanded": open ? "true" : "false", "data-incident": i.id, title: "show the timeline of " + i.id }, heads);
    tr.addEventListener("click", function () { toggle(i.id); });
    tr.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(i.id); } });
    rows.push(tr);
    if (open) rows.push(el("tr", { "class": "detail" }, el("td", { colspan: 7 }, detailOf(i))));
  });
  if (!list.length) rows.push(el("tr", null, el("td", { colspan: 7, "class": "muted" }, "no incident recorded yet")));
  fill("incidents", rows);
  $("incidents-note").textContent = state.incidentsError ? "not refreshed: " + state.incidentsError : list.length ? "click an incident for its timeline" : "";
}
function detailOf(i) {
  var d = state.details[i.id];
  if (!d) return "loading the timeline…";
  if (d.error) return "timeline unavailable: " + d.error;
  var at = function (t) { return "T+" + dur(t - i.openedAtMs); };
  var lines = [{ atMs: i.openedAtMs, text: "first DOWN (incident opened), " + i.from + " was active" }];
  var begun = {};
  d.journal.forEach(function (j) {
    if (j.phase === "started") lines.push({ atMs: j.atMs, text: "runbook " + j.runbook + " started under epoch " + j.epoch });
    else if (j.phase === "before") begun[j.state] = j.atMs;
    else if (j.phase === "after") lines.push({ atMs: j.atMs, text: j.state + " done" + (begun[j.state] !== undefined ? " in " + dur(j.atMs - begun[j.state]) : "") });
    else if (j.phase === "failed") {
      // A step retried against the same error is one line with a count, not a wall of red.
      var prev = lines[lines.length - 1];
      if (prev && prev.failState === j.state && prev.error === j.error) { prev.count++; prev.text = j.state + " failed " + prev.count + " times (last at T+" + dur(j.atMs - i.openedAtMs) + "): " + str(j.error); }
      else lines.push({ atMs: j.atMs, text: j.state + " failed: " + str(j.error), fail: true, failState: j.state, error: j.error, count: 1 });
    }
    else if (j.phase === "finished") lines.push({ atMs: j.atMs, text: "runbook finished" + (j.error ? ": " + j.error : ""), fail: !!j.error });
  });
  (d.incident.timeline || []).forEach(function (e) { lines.push({ atMs: e.atMs, text: e.event + (e.detail ? " " + JSON.stringify(e.detail) : "") }); });
  lines.sort(function (a, b) { return a.atMs - b.atMs; });
  return [el("div", { "class": "age" }, i.id + ", opened " + stamp(i.openedAtMs) + (i.runbook ? ", runbook " + i.runbook : "")), el("ul", { "class": "timeline" }, lines.map(function (l) { return el("li", l.fail ? { "class": "fail" } : null, el("b", null, at(l.atMs)), " " + l.text); }))];
}
function toggle(id) {
  state.open = state.open === id ? null : id;
  if (state.open && !state.details[id]) {
    fetch("/status/incidents/" + encodeURIComponent(id), { cache: "no-store" }).then(function (r) { return r.json().then(function (b) { if (!r.ok) throw new Error(b.error || r.status); return b; }); })
      .then(function (b) { state.details[id] = b; }, function (e) { state.details[id] = { error: String(e.message || e) }; }).then(renderIncidents);
  }
  renderIncidents();
}

function renderReadiness() {
  var s = state.status, list = Array.isArray(s.readiness) ? s.readiness : controllers().flatMap(function (c) { return Array.isArray(c.readiness) ? c.readiness : []; });
  $("readiness-card").hidden = list.length === 0;
  if (!list.length) return;
  var heads = ["check", "result", "detail", "checked"];
  fill("readiness", row(heads, true), list.map(function (r) {
    return row([str(r.check), { text: r.ok ? "✓ ok" : "✗ failing", attrs: { "class": r.ok ? "ok" : "fail" } }, r.detail === undefined ? "" : String(r.detail), ago(r.atMs)], false, null, heads);
  }));
}

function renderControllers() {
  var heads = ["controller", "last decision", "last cycle", "cycles", "notes"];
  fill("controllers", row(heads, true), controllers().map(function (c) {
    return row([c.controllerId, c.lastDecision ? c.lastDecision.action : "", c.lastCycle ? ago(c.lastCycle.atMs) + " (took " + dur(c.lastCycle.durationMs) + ")" : "none", { text: String(c.cycles), attrs: { "class": "num" } }, human((c.notes || []).join("; "))], false, null, heads);
  }));
}

function render() {
  var parts = [renderNow, renderIncident, renderViews, renderLag, renderHistory, renderIncidents, renderReadiness, renderControllers];
  parts.forEach(function (f) { try { f(); } catch (e) { $("error").textContent = "page error: " + e; } });
}

async function getJson(path) {
  var r = await fetch(path, { cache: "no-store" });
  var body = await r.json();
  if (!r.ok) throw new Error(body && body.error ? body.error : path + " answered " + r.status);
  return body;
}
async function refresh() {
  try {
    state.status = await getJson("/status");
    state.lastOkMs = Date.now();
    $("error").textContent = "";
    render();
    $("updated").textContent = "updated " + new Date().toLocaleTimeString() + ", controllers' clock " + stamp(now());
  } catch (e) {
    $("error").textContent = "status unavailable: " + e.message + (state.lastOkMs ? "; showing data from " + dur(Date.now() - state.lastOkMs) + " ago" : "");
  }
}
async function refreshSlow() {
  var incidentWas = controllers().some(function (c) { return c.incident; });
  try { state.history = (await getJson("/status/history")).samples || []; } catch (e) { /* the next poll tries again; the charts keep their last data */ }
  if (state.status) render();
  try { state.incidents = (await getJson("/status/incidents?limit=10")).incidents || []; state.incidentsError = ""; } catch (e) { state.incidentsError = e.message; }
  if (state.status) render();
  return incidentWas;
}
var lastIncident = false, polling = false;
refresh().then(refreshSlow);
setInterval(function () {
  // A slow daemon must not pile up requests: skip a beat while the last one is out.
  if (polling) return;
  polling = true;
  refresh().finally(function () { polling = false; }).then(function () {
    // An incident that just ended is listed at once, not at the next slow poll.
    var inc = controllers().some(function (c) { return c.incident; });
    // The store may still hold the ended incident as acting for a moment: read again until it says how it ended.
    var unsettled = !inc && (state.incidents || []).some(function (i) { return i.state === "acting" || i.state === "awaiting-approval" || i.state === "open"; });
    if (inc !== lastIncident || unsettled) { lastIncident = inc; refreshSlow(); }
  });
}, 2000);
setInterval(refreshSlow, 10000);
`;
