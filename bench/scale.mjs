// Benchmark 2 — scale: synthetic spines of 100, 1 000 and 10 000 services (hosts = services / 10,
// one health endpoint per service), each valid except for the planted violations of
// generate-spine.mjs. Time (process wall and the suite's own durationMs) and peak RSS per size,
// and whether every planted violation is found.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSpine, matchPlanted, unexplained } from './generate-spine.mjs';
import { interleaved } from './lib/measure.mjs';
import { CLI, listChecks, NODE } from './lib/spine.mjs';

export const NOW = '2026-02-09T00:00:00Z';

export async function run({ runs, warmup, log, quick }) {
  const sizes = quick ? [100, 1000, 10000] : [100, 1000, 10000];
  const base = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  try {
    const spines = sizes.map((n) => {
      const t0 = Date.now();
      const g = generateSpine(join(base, String(n)), { services: n });
      log(`scale: generated ${n} services (${g.stats.hosts} hosts, ${g.stats.endpoints} endpoints, ${(g.stats.bytes / 2 ** 20).toFixed(1)} MB) in ${Date.now() - t0} ms`);
      return { n, ...g };
    });
    const catalog = listChecks(spines[0].root);
    const commands = spines.map((s) => ({ name: `${s.n} services`, cmd: NODE, args: [CLI, 'check', '--root', s.root, '--format', 'json', '--now', NOW], accept: (c) => c === 0 || c === 1 }));
    const m = await interleaved(commands, { runs: Math.max(3, Math.min(runs, 5)), warmup });
    const sizesOut = [];
    for (const s of spines) {
      const r = m[`${s.n} services`];
      if (r.errors.length) return { status: 'error', reason: `check on ${s.n} services failed: ${r.errors[0].stderr}` };
      const report = JSON.parse(r.last.stdout);
      const planted = matchPlanted(s.planted, report.results, catalog);
      const extra = unexplained(s.planted, report.results);
      sizesOut.push({
        services: s.n,
        stats: s.stats,
        wallMs: r.wall,
        rssMb: r.rss,
        durationMs: report.summary.durationMs,
        summary: report.summary,
        planted,
        unexplained: extra.slice(0, 20).map((x) => `${x.checkId} ${x.file}:${x.line} ${x.message}`),
        unexplainedCount: extra.length,
      });
    }
    const by = (n) => sizesOut.find((x) => x.services === n);
    const ratio = (a, b, f) => f(by(b)) / f(by(a));
    const wall = (x) => x.wallMs.median;
    const suite = (x) => x.durationMs;
    const big = by(10000);
    const targets = [
      { label: '1 000 / 100 services, suite time (in-process durationMs)', target: '≤ 12×', measured: ratio(100, 1000, suite), pass: ratio(100, 1000, suite) <= 12 },
      { label: '10 000 / 1 000 services, suite time (in-process durationMs)', target: '≤ 12×', measured: ratio(1000, 10000, suite), pass: ratio(1000, 10000, suite) <= 12 },
      { label: '10 000 / 1 000 services, process wall', target: '≤ 12×', measured: ratio(1000, 10000, wall), pass: ratio(1000, 10000, wall) <= 12 },
      { label: '10 000 services, process wall', target: '< 2 s', unit: 'ms', measured: wall(big), pass: wall(big) < 2000 },
      { label: '10 000 services, peak RSS', target: '< 300 MB', unit: 'MB', measured: big.rssMb?.median, pass: big.rssMb ? big.rssMb.median < 300 : undefined },
    ];
    for (const x of sizesOut) {
      const avail = x.planted.filter((p) => p.status !== 'no check yet');
      const found = avail.filter((p) => p.found).length;
      targets.push({
        label: `${x.services} services: planted violations found (of those with a check)`,
        target: `${avail.length}/${avail.length}`,
        unit: 'count',
        measured: `${found}/${avail.length}${x.planted.length > avail.length ? ` (+${x.planted.length - avail.length} without a check yet)` : ''}`,
        pass: found === avail.length && avail.length > 0,
      });
    }
    return {
      status: 'ok',
      sizes: sizesOut,
      measurements: sizesOut.map((x) => ({
        name: `${x.services} services (${x.stats.hosts} hosts, ${x.stats.endpoints} endpoints)`,
        wallMs: x.wallMs,
        rssMb: x.rssMb,
        note: `suite ${x.durationMs} ms in-process; ${x.summary.errors} errors, ${x.unexplainedCount} not from a planted violation`,
      })),
      targets,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
