// One read-only page, no build step, no external assets: it polls /status
// and renders with textContent only (never innerHTML with data).

export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>failover status</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;background:#fafafa}
h1{font-size:1.2rem;margin:0 0 .5rem}h2{font-size:1rem;margin:1.2rem 0 .4rem}
.big{font-size:1.6rem;font-weight:600}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
.UP{background:#d9f7d9}.DOWN{background:#ffd6d6}.DEGRADED{background:#fff1c2}.UNKNOWN{background:#eee}
#error{color:#b00020}small{color:#666}
</style></head>
<body>
<h1>failover: <span id="application">…</span></h1>
<div>Active region: <span id="active-region" class="big">…</span> <small>writer: <span id="writer-region">…</span></small></div>
<div>Lease: <span id="lease">…</span></div>
<div id="error"></div>
<h2>Health (rows: observer, columns: region)</h2><table id="health"></table>
<h2>Replication lag</h2><table id="lag"></table>
<h2>Current incident</h2><div id="incident">none</div>
<h2>Controllers</h2><table id="controllers"></table>
<small>Refreshes every 2 s. <span id="updated"></span></small>
<script>
"use strict";
function el(tag, text, cls){const e=document.createElement(tag);if(text!==undefined)e.textContent=String(text);if(cls)e.className=cls;return e;}
function row(cells, header){const tr=document.createElement("tr");for(const c of cells){const td=el(header?"th":"td",c&&c.text!==undefined?c.text:c,c&&c.cls);tr.appendChild(td);}return tr;}
function fill(id, rows){const t=document.getElementById(id);t.replaceChildren(...rows);}
async function refresh(){
  try{
    const r=await fetch("/status",{cache:"no-store"});const s=await r.json();
    document.getElementById("application").textContent=s.application;
    const cs=s.controllers||[];
    // The freshest controller speaks for the active region (a crashed one keeps stale data).
    const first=[...cs].sort((a,b)=>((b.lastCycle&&b.lastCycle.atMs)||0)-((a.lastCycle&&a.lastCycle.atMs)||0))[0]||{};
    document.getElementById("active-region").textContent=first.activeRegion||"unknown";
    document.getElementById("writer-region").textContent=first.writerRegion||"unknown";
    const holder=cs.find(c=>c.lease&&c.lease.heldByMe);
    const lease=(holder||first).lease||{};
    document.getElementById("lease").textContent=(holder?holder.controllerId:(lease.holder||"free"))+" (epoch "+(lease.epoch??"?")+")";
    const views=new Map();for(const c of cs)for(const v of c.views||[])if(!views.has(v.observer)||views.get(v.observer).atMs<v.atMs)views.set(v.observer,v);
    const regions=[...new Set([...views.values()].flatMap(v=>Object.keys(v.regions)))].sort();
    fill("health",[row(["observer",...regions],true),...[...views.values()].sort((a,b)=>a.observer.localeCompare(b.observer)).map(v=>row([v.observer,...regions.map(r=>{const h=v.regions[r];return h?{text:h.state,cls:h.state}:"";})]))]);
    const lag=(first.lag)||{auroraLagMs:{},dynamodbLagMs:{}};
    fill("lag",[row(["region","aurora (ms)","dynamodb (ms)"],true),...regions.map(r=>row([r,lag.auroraLagMs[r]??"",lag.dynamodbLagMs[r]??""]))]);
    const inc=cs.map(c=>c.incident).find(Boolean);
    const box=document.getElementById("incident");
    if(inc){box.replaceChildren(el("div",inc.id+": "+inc.from+" -> "+(inc.to||"?")+" ("+inc.state+", epoch "+(inc.epoch??"?")+")"),...(inc.timeline||[]).map(e=>el("div",new Date(e.atMs).toISOString()+" "+e.event)));}else box.textContent="none";
    fill("controllers",[row(["controller","last decision","cycles","notes"],true),...cs.map(c=>row([c.controllerId,c.lastDecision?c.lastDecision.action:"",c.cycles,(c.notes||[]).join("; ")]))]);
    document.getElementById("updated").textContent="updated "+new Date().toISOString();
    document.getElementById("error").textContent="";
  }catch(e){document.getElementById("error").textContent="status unavailable: "+e;}
}
refresh();setInterval(refresh,2000);
</script></body></html>
`;
