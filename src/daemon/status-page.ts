// One read-only page, no build step, no external assets, served by the
// daemon at /. Its script (status-page-script.ts) polls /status every 2 s and
// the history and incident list every 10 s, and patches the DOM with
// createElement/textContent only: region names, reasons and causes come from
// config files and AWS error messages, so no data ever goes through HTML
// parsing (a CSP without 'unsafe-eval' backs that up). Phone width first:
// one column, tables scroll sideways inside their card.

import { STATUS_PAGE_SCRIPT } from "./status-page-script.js";

const STYLE = `
:root{--up:#1b7f3b;--up-bg:#dff3e4;--deg:#8a5a00;--deg-bg:#fff0c2;--down:#b3261e;--down-bg:#fcdcd9;--unk:#6b6b6b;--unk-bg:#ececec;--ink:#1d1d1f;--muted:#5f6368;--line:#dadce0;--card:#fff}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:#f4f5f7}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .8rem;padding:.7rem 1rem;background:#202124;color:#fff}
header h1{font-size:1.05rem;margin:0;font-weight:600}
header small{color:#c4c7c5}
main{display:grid;grid-template-columns:1fr;gap:.8rem;padding:.8rem;max-width:1200px;margin:0 auto}
@media (min-width:900px){main{grid-template-columns:1fr 1fr}.wide{grid-column:1/-1}}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem;min-width:0}
h2{font-size:.8rem;letter-spacing:.04em;text-transform:uppercase;color:var(--muted);margin:0 0 .5rem}
.big{font-size:1.7rem;font-weight:650;line-height:1.1}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem}.kv dt{color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.8rem;white-space:nowrap}
@media (max-width:600px){
  table.stack tr:first-child{display:none}
  table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.25rem 0}
  table.stack td{display:grid;grid-template-columns:6.5em 1fr;gap:.5rem;border:0;padding:.1rem .2rem;text-align:left}
  table.stack td::before{content:attr(data-label);color:var(--muted);font-size:.8rem}
  table.stack tr.detail td{display:block}table.stack tr.detail td::before{content:none}
  section{padding:.6rem .7rem}main{padding:.5rem;gap:.6rem}
}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
#health td,#lag td{white-space:nowrap}#health td .when{display:block}
.state{display:inline-block;min-width:4.6em;text-align:center;border-radius:4px;padding:0 .35em;font-weight:600;font-size:.8rem}
.UP{background:var(--up-bg);color:var(--up)}.DEGRADED{background:var(--deg-bg);color:var(--deg)}.DOWN{background:var(--down-bg);color:var(--down)}.UNKNOWN{background:var(--unk-bg);color:var(--unk)}
tr.stale td{color:#9aa0a6;background:#f1f3f4}tr.stale td.UP,tr.stale td.DOWN,tr.stale td.DEGRADED{text-decoration:line-through}
.badge{display:inline-block;border-radius:10px;padding:0 .45em;font-size:.72rem;font-weight:600;background:#e8eaed;color:#3c4043;margin-left:.3em}
.badge.stale{background:#5f6368;color:#fff}.badge.warn{background:var(--down-bg);color:var(--down)}
.age{color:var(--muted);font-size:.8rem}
#error{color:var(--down);font-weight:600}#error:empty{display:none}
ol.path{list-style:none;margin:.4rem 0 0;padding:0}
ol.path li{display:grid;grid-template-columns:1.4em 1fr auto;gap:.4rem;padding:.22rem 0;border-bottom:1px dashed var(--line);align-items:baseline}
ol.path .mark{text-align:center;font-weight:700}
ol.path li.done .mark{color:var(--up)}ol.path li.running{background:#e8f0fe}ol.path li.running .mark{color:#1a73e8}
ol.path li.failed .mark,ol.path li.failed .when{color:var(--down)}ol.path li.to-come{color:#80868b}
ol.path .what small{display:block;color:var(--muted)}ol.path .when{white-space:nowrap;font-variant-numeric:tabular-nums}
.bar{position:relative;height:1.3rem;background:#eceff1;border-radius:4px;overflow:hidden;margin:.35rem 0}
.bar .fill{position:absolute;inset:0 auto 0 0;background:#1a73e8}.bar .fill.late{background:#e37400}.bar .fill.over{background:var(--down)}
.bar .rto{position:absolute;top:0;bottom:0;width:2px;background:#202124}
.terms{display:flex;height:.7rem;border-radius:3px;overflow:hidden;margin:.2rem 0}
.terms span{display:block;height:100%;border-right:1px solid #fff}
.legend{display:flex;flex-wrap:wrap;gap:.1rem .8rem;font-size:.8rem;color:var(--muted);margin:.2rem 0 0;padding:0;list-style:none}
.legend i{display:inline-block;width:.7em;height:.7em;border-radius:2px;margin-right:.3em;vertical-align:-.05em}
.sw0{background:#1a73e8}.sw1{background:#e8710a}.sw2{background:#9334e6}.sw3{background:#188038}
.t0{background:#8ab4f8}.t1{background:#f28b82}.t2{background:#fdd663}.t3{background:#81c995}.t4{background:#c58af9}
svg.timeline{display:block;width:100%;height:auto}
svg .UP{fill:#34a853}svg .DEGRADED{fill:#fbbc04}svg .DOWN{fill:#ea4335}svg .UNKNOWN{fill:#dadce0}
svg .grid{stroke:#dadce0;stroke-width:1}svg .lag0{stroke:#1a73e8}svg .lag1{stroke:#e8710a}svg .lag2{stroke:#9334e6}svg .lag3{stroke:#188038}
svg polyline{fill:none;stroke-width:2;vector-effect:non-scaling-stroke}
.axis{display:flex;justify-content:space-between;font-size:.72rem;color:var(--muted)}
.rowlabel{font-size:.8rem;margin-top:.3rem}
tr.incident{cursor:pointer}tr.incident:hover,tr.incident:focus{background:#f1f3f4;outline:none}tr.incident.open{background:#e8f0fe}
tr.detail td{background:#fafafa;font-size:.82rem}
ul.timeline{margin:.2rem 0;padding-left:1.1rem}ul.timeline li{margin:.1rem 0}
.ok{color:var(--up);font-weight:700}.fail{color:var(--down);font-weight:700}ul.timeline li.fail{font-weight:400}
.muted{color:var(--muted)}
`;

const BODY = `
<header><h1>failover · <span id="application">…</span></h1><small id="updated">loading…</small><small id="error" role="alert"></small></header>
<main>
<section id="now-card"><h2>Now</h2>
  <div class="big" id="active-region">…</div>
  <dl class="kv">
    <dt>writer</dt><dd id="writer-region">…</dd>
    <dt>lease</dt><dd id="lease">…</dd>
    <dt>decision</dt><dd id="decision">…</dd>
    <dt>policy</dt><dd id="policy">…</dd>
    <dt>plan</dt><dd id="plan">…</dd>
  </dl>
</section>
<section id="views-card"><h2>Health as each observer sees it</h2><div class="scroll"><table id="health"></table></div><div class="age" id="views-note"></div></section>
<section id="incident-card" class="wide"><h2>Incident in progress</h2><div id="incident">none</div></section>
<section id="history-card"><h2>Health, last hour</h2><div id="health-history"><span class="muted">collecting…</span></div></section>
<section id="lag-card"><h2>Replication lag</h2><div class="scroll"><table id="lag"></table></div><div id="lag-chart"></div></section>
<section id="incidents-card" class="wide"><h2>Last incidents</h2><div class="scroll"><table id="incidents" class="stack"></table></div><div class="age" id="incidents-note"></div></section>
<section id="readiness-card" class="wide" hidden><h2>Readiness</h2><div class="scroll"><table id="readiness" class="stack"></table></div></section>
<section id="controllers-card" class="wide"><h2>Controllers</h2><div class="scroll"><table id="controllers" class="stack"></table></div></section>
</main>
`;

export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>failover status</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${STYLE}</style></head>
<body>${BODY}
<script>${STATUS_PAGE_SCRIPT}</script></body></html>
`;
