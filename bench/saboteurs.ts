// `npm run saboteurs`: the instrument's own check, over a seed sweep. For
// each saboteur (a controller with one safety removed), how many generated
// runs it fails, and for `none`, whether it fails every run where a failover
// was due. Exits 1 when a saboteur fails under 1 % of the runs: a sweep that
// cannot tell that safety from its absence proves nothing about it.
//   SABOTEUR_SEEDS=300 SABOTEUR_FIRST=1 npm run saboteurs
//   SABOTEUR_STOP=3 npm run saboteurs   (stop a saboteur after this many failures)

import { SABOTEURS } from "../src/sim/saboteurs.js";
import { runSweep } from "../src/sim/sweep-pool.js";

const seeds = Number(process.env.SABOTEUR_SEEDS ?? 300);
const first = Number(process.env.SABOTEUR_FIRST ?? 1);
const stop = process.env.SABOTEUR_STOP ? Number(process.env.SABOTEUR_STOP) : Number.POSITIVE_INFINITY;
const only = process.env.SABOTEUR_ONLY?.split(",");
const CHUNK = 50;

async function main(): Promise<void> {
  let ok = true;
  const need = Math.ceil(seeds / 100);
  for (const s of SABOTEURS.filter((x) => !only || only.includes(x.name))) {
    const started = Date.now();
    const failed: number[] = [];
    let ran = 0;
    let dueNotFailed = 0;
    for (let from = first; from < first + seeds && (s.name === "none" || failed.length < stop); from += CHUNK) {
      const n = Math.min(CHUNK, first + seeds - from);
      for (const v of await runSweep(from, n, { controller: false, saboteur: s.name })) {
        ran++;
        if (!v.passed) failed.push(v.seed);
        else if (s.name === "none" && v.measured.due === "failover") dueNotFailed++;
      }
    }
    const caught = failed.length >= Math.min(need, stop) && dueNotFailed === 0;
    ok &&= caught;
    console.log(`${s.name.padEnd(11)} failed ${String(failed.length).padStart(3)} of ${String(ran).padStart(3)} runs${s.name === "none" ? ` (due runs it passed: ${dueNotFailed})` : ""}  ${((Date.now() - started) / 1000).toFixed(1)} s  ${caught ? "caught" : "NOT CAUGHT"}  first: ${failed.slice(0, 8).join(", ")}`);
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
