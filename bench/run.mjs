#!/usr/bin/env node
// `npm run bench`: every benchmark of issue 8, a table of measurements and of targets (PASS/MISS),
// and the full results as JSON in bench/results/ (gitignored).
//
//   node bench/run.mjs [--only static,scale,probes,ssh,staged,editors] [--runs N] [--warmup N] [--quick]
//                      [--hyperfine] [--no-install]
//
// A benchmark whose subject does not exist yet in this build (a command, an option, a check)
// reports "not available" with the reason instead of failing the whole run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtMb, fmtMs, fmtRatio } from './lib/measure.mjs';
import { ensureBuilt, REPO } from './lib/spine.mjs';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    quick: { type: 'boolean' },
    hyperfine: { type: 'boolean' },
    'no-install': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: node bench/run.mjs [--only static,scale,probes,ssh,staged,editors] [--runs N] [--warmup N] [--quick] [--hyperfine] [--no-install]');
  process.exit(0);
}

const ALL = ['static', 'scale', 'probes', 'ssh', 'staged', 'editors'];
const only = values.only ? values.only.split(',').map((s) => s.trim()) : ALL;
for (const o of only) if (!ALL.includes(o)) throw new Error(`unknown benchmark '${o}' (choose from ${ALL.join(', ')})`);
const runs = Number(values.runs ?? (values.quick ? 3 : 7));
const warmup = Number(values.warmup ?? 1);
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const started = Date.now();

if (!ensureBuilt(log)) {
  console.error('cannot build packages/cli: run `npm install` first');
  process.exit(2);
}

const results = {};
for (const name of only) {
  const t0 = Date.now();
  log(`${name}: starting`);
  let r;
  try {
    const mod = await import(`./${name}.mjs`);
    r = await mod.run({ runs, warmup, log, quick: !!values.quick, useHyperfine: !!values.hyperfine, install: !values['no-install'] });
  } catch (error) {
    r = { status: 'error', reason: error?.stack ?? String(error) };
  }
  r.elapsedS = (Date.now() - t0) / 1000;
  results[name] = r;
  log(`${name}: ${r.status}${r.reason ? ` (${String(r.reason).split('\n')[0]})` : ''} in ${r.elapsedS.toFixed(1)} s`);
}

// ---- report ---------------------------------------------------------------------------------
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r, j) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ') + (j === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n');
};
const range = (s) => (s && Number.isFinite(s.min) && s.n > 1 ? `${fmtMs(s.min)}–${fmtMs(s.max)}` : '');
const mrows = [['benchmark', 'measurement', 'wall (median)', 'range', 'peak RSS (median)', 'note']];
const trows = [['benchmark', 'target', 'required', 'measured', 'verdict']];
for (const [name, r] of Object.entries(results)) {
  if (r.status !== 'ok') {
    mrows.push([name, '—', '—', '', '', r.status === 'unavailable' ? `not available yet: ${r.reason}` : `ERROR: ${String(r.reason).split('\n')[0].slice(0, 160)}`]);
    trows.push([name, '—', '—', '—', r.status === 'unavailable' ? 'n/a (not available yet)' : 'ERROR']);
    continue;
  }
  for (const m of r.measurements ?? []) mrows.push([name, m.name, fmtMs(m.wallMs?.median), range(m.wallMs), fmtMb(m.rssMb?.median), m.note ?? '']);
  for (const t of r.targets ?? []) {
    const measured = t.unit === 'ms' ? fmtMs(t.measured) : t.unit === 'MB' ? fmtMb(t.measured) : t.unit === 'count' ? String(t.measured) : fmtRatio(t.measured);
    trows.push([name, t.label, t.target, measured, t.pass === undefined ? 'n/a' + (t.note ? ` (${t.note})` : '') : t.pass ? 'PASS' : 'MISS']);
  }
}
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemMb: Math.round(totalmem() / 2 ** 20), loadavgAtEnd: loadavg(), node: process.version, platform: process.platform };
console.log(
  `\nspine-lint benchmarks — ${new Date().toISOString()} — node ${process.version}, ${machine.cpus} cores, load ${machine.loadavgAtEnd.map((x) => x.toFixed(2)).join(' ')}, ${runs} runs (+${warmup} warm-up), median\n`,
);
console.log(table(mrows));
console.log('\n' + table(trows));
const totalS = (Date.now() - started) / 1000;
console.log(`\ntotal ${totalS.toFixed(1)} s`);

const outDir = join(REPO, 'bench/results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const json = JSON.stringify({ date: new Date().toISOString(), machine, runs, warmup, totalS, results }, (k, v) => (k === 'last' ? undefined : v), 2);
writeFileSync(join(outDir, `${stamp}.json`), json);
writeFileSync(join(outDir, 'latest.json'), json);
console.log(`results: bench/results/${stamp}.json`);
