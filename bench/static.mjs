// Benchmark 1 — the static suite on the newest full tree of the real corpus, as a cold CLI process,
// against two floors measured in the same run (an empty `node`, and a node that only reads and
// parses what the catalog reads), and against the reference bash gates' RECORDED wall times.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ensureHyperfine, hyperfine, interleaved } from './lib/measure.mjs';
import { CLI, corpusDir, filesIn, hasOption, listChecks, NODE, REPO } from './lib/spine.mjs';
import { newestTree } from './lib/spine.mjs';

const SCAN_DIRS = ['ops/bindings', 'docs/governance'];

/** What a check run reads: the catalog's `reads` (files, or directories expanded) plus the syntax-scanned YAML. */
export function readPlan(root, checks) {
  const yaml = new Set();
  const markdown = new Set();
  const text = new Set();
  const add = (rel) => {
    if (/\.ya?ml$/i.test(rel)) yaml.add(rel);
    else if (/\.(md|markdown)$/i.test(rel)) markdown.add(rel);
    else text.add(rel);
  };
  for (const c of checks) {
    if (c.kind !== 'static') continue;
    for (const r of c.reads ?? []) {
      const glob = /^(.*)\/\*(\.[\w.]+)$/.exec(r);
      if (glob) {
        // `dir/*.ext`: read as text by the check (no positioned parse); YAML there is syntax-scanned below,
        // Markdown is read.
        for (const f of filesIn(join(root, glob[1]))) if (f.endsWith(glob[2]) && !/\.ya?ml$/i.test(f)) add(`${glob[1]}/${f}`);
        continue;
      }
      const abs = join(root, r);
      if (!existsSync(abs)) continue;
      if (statSync(abs).isDirectory()) for (const f of filesIn(abs)) add(`${r.replace(/\/$/, '')}/${f}`);
      else add(r);
    }
  }
  const scan = [];
  for (const d of SCAN_DIRS) for (const f of filesIn(join(root, d))) if (/\.ya?ml$/i.test(f) && !yaml.has(`${d}/${f}`)) scan.push(`${d}/${f}`);
  return { yaml: [...yaml].sort(), markdown: [...markdown].sort(), text: [...text].sort(), scan };
}

/** The reference figures, as recorded by the corpus (not measured here: the gate scripts are not in the corpus). */
export function referenceFigures(tree) {
  const out = { tree: basename(tree) };
  try {
    const oracle = JSON.parse(readFileSync(join(tree, 'oracle.json'), 'utf8'));
    out.oracleTotalWallS = oracle.timing?.total_wall_s_13_gates;
    out.oracleParallelJobs = oracle.timing?.parallel_jobs;
  } catch {
    // optional: absent in trees without it
  }
  try {
    const readme = readFileSync(join(tree, '..', 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith(`| ${basename(tree)} |`) && /\| 3 \|/.test(l));
    const cells = row?.split('|').map((c) => c.trim());
    if (cells && Number(cells[3])) out.sequentialIdleMedianS = Number(cells[3]);
  } catch {
    // optional: absent in trees without it
  }
  return out;
}

export async function run({ runs, warmup, log, useHyperfine }) {
  const tree = newestTree(corpusDir());
  if (!tree) return { status: 'unavailable', reason: 'no corpus tree found (../shared/corpus/trees)' };
  const checks = listChecks(tree);
  const staticChecks = checks.filter((c) => c.kind === 'static');
  const plan = readPlan(tree, checks);
  const dir = mkdtempSync(join(tmpdir(), 'bench-static-'));
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  log(
    `static: ${basename(tree)}, ${staticChecks.length} static checks (incl. core), reads ${plan.yaml.length} YAML + ${plan.markdown.length} Markdown + ${plan.text.length} other, syntax scan ${plan.scan.length} YAML`,
  );

  const checkArgs = [CLI, 'check', '--root', tree, '--format', 'json', '--now', '2026-03-06T10:51:47Z'];
  const exit01 = (c) => c === 0 || c === 1;
  // check --cache: a cache file of its own; the "replay" command's warm-up round stores the run, the
  // "records" command starts from no cache file every time (what a first run, or a run after any
  // change, costs with --cache on).
  const cacheAvailable = hasOption('check', '--cache');
  const replayCache = join(dir, 'replay-cache.json');
  const recordCache = join(dir, 'record-cache.json');
  const commands = [
    { name: 'empty node', cmd: NODE, args: ['-e', '0'] },
    { name: 'parse-only floor', cmd: NODE, args: [join(REPO, 'bench/floor-parse.mjs'), tree, planFile] },
    { name: 'spine-lint check', cmd: NODE, args: checkArgs, accept: exit01 },
    ...(cacheAvailable
      ? [
          { name: 'check --cache, nothing changed (replay)', cmd: NODE, args: [...checkArgs, '--cache', '--cache-location', replayCache], accept: exit01 },
          {
            name: 'check --cache, no stored run (runs, records)',
            cmd: '/bin/sh',
            args: ['-c', 'rm -f "$0" && exec "$@"', recordCache, NODE, ...checkArgs, '--cache', '--cache-location', recordCache],
            accept: exit01,
          },
        ]
      : []),
  ];
  const m = await interleaved(commands, { runs, warmup: Math.max(1, warmup) });
  for (const c of commands) if (m[c.name].errors.length) return { status: 'error', reason: `${c.name} failed: ${m[c.name].errors[0].stderr}` };
  let summary;
  try {
    summary = JSON.parse(m['spine-lint check'].last.stdout).summary;
  } catch {
    // optional: absent in trees without it
  }
  // The replay must be a replay, and the same report as the plain run (its stored durationMs aside).
  let replay;
  if (cacheAvailable) {
    const again = spawnSync(NODE, [...checkArgs, '--cache', '--cache-location', replayCache], { encoding: 'utf8', env: { ...process.env, SPINE_LINT_DEBUG_CACHE: '1' } });
    const strip = (text) => {
      try {
        const r = JSON.parse(text);
        delete r.summary.durationMs;
        return JSON.stringify(r);
      } catch {
        return `unparsable: ${text.slice(0, 80)}`;
      }
    };
    replay = {
      answeredBy: /spine-lint: cache: (.*)/.exec(again.stderr)?.[1] ?? 'no cache message',
      sameReport: strip(again.stdout) === strip(m['spine-lint check'].last.stdout) && strip(m['check --cache, nothing changed (replay)'].last.stdout) === strip(again.stdout),
    };
    log(`static: check --cache answered by: ${replay.answeredBy}; same report as the plain run: ${replay.sameReport}`);
  }
  let hf;
  if (useHyperfine && ensureHyperfine({ log })) hf = hyperfine(commands, { runs, warmup });

  const ref = referenceFigures(tree);
  const cliMs = m['spine-lint check'].wall.median;
  const floorMs = m['parse-only floor'].wall.median;
  const refS = ref.sequentialIdleMedianS ?? ref.oracleTotalWallS;
  const planFiles = plan.yaml.length + plan.markdown.length + plan.text.length + plan.scan.length;
  const notes = {
    'parse-only floor': `${planFiles} files: core parseYamlDocument (js-yaml values), Markdown split; no positions`,
    'spine-lint check': summary ? `${summary.filesRead} files read, ${summary.checksRun} checks, suite ${summary.durationMs} ms in-process` : undefined,
    'check --cache, nothing changed (replay)': replay ? `${replay.answeredBy.startsWith('replayed') ? 'replayed' : replay.answeredBy}; same report as plain check: ${replay.sameReport}` : undefined,
    'check --cache, no stored run (runs, records)': 'full run + digests of every input + store',
  };
  const replayMs = cacheAvailable ? m['check --cache, nothing changed (replay)'].wall.median : undefined;
  const recordMs = cacheAvailable ? m['check --cache, no stored run (runs, records)'].wall.median : undefined;
  const measurements = commands.map((c) => ({ name: c.name, wallMs: m[c.name].wall, rssMb: m[c.name].rss, note: notes[c.name] }));
  measurements.push({
    name: 'reference bash gates (RECORDED, not measured)',
    wallMs: { median: refS * 1000, recorded: true },
    note: ref.sequentialIdleMedianS ? 'corpus README: sequential re-timing, idle machine, median of 3' : 'oracle.json timing.total_wall_s_13_gates',
  });
  return {
    status: 'ok',
    input: { tree: basename(tree), checks: staticChecks.map((c) => c.id), plan: { yaml: plan.yaml.length, markdown: plan.markdown.length, text: plan.text.length, scan: plan.scan.length }, summary },
    measurements,
    hyperfine: hf,
    reference: {
      ...ref,
      runnable: false,
      why: 'the corpus holds no gate scripts (trees carry data only; see trees/README.md), so the reference is the recorded wall time of the 13 ported gates on this tree',
    },
    targets: [
      { label: 'static suite / parse-only floor', target: '≤ 1.5×', measured: cliMs / floorMs, pass: cliMs / floorMs <= 1.5 },
      // The floor is honest when it reads what check reads and is not slower than check itself.
      {
        label: 'floor reads the files check reads (floor / check filesRead)',
        target: 'equal',
        unit: 'count',
        measured: `${planFiles}/${summary?.filesRead ?? '?'}`,
        pass: summary ? planFiles === summary.filesRead : undefined,
      },
      { label: 'parse-only floor ≤ spine-lint check (wall)', target: '≤ 1×', measured: floorMs / cliMs, pass: floorMs <= cliMs },
      // The reference re-runs every gate on every commit; so does a plain check. With --cache, an
      // unchanged spine is answered from the stored run after re-reading and hashing every input.
      ...(cacheAvailable
        ? [
            {
              label: 'reference gates (recorded) / check --cache, nothing changed',
              target: '≥ 50×',
              measured: (refS * 1000) / replayMs,
              pass: replay.answeredBy.startsWith('replayed') && replay.sameReport && (refS * 1000) / replayMs >= 50,
            },
            { label: 'check --cache, no stored run / plain check (recording overhead)', target: '≤ 1.1×', measured: recordMs / cliMs, pass: recordMs / cliMs <= 1.1 },
          ]
        : []),
      {
        label: 'reference gates (recorded) / plain check, every file parsed',
        target: '(reported)',
        measured: (refS * 1000) / cliMs,
        pass: undefined,
        note: `parse-only floor alone: ${((refS * 1000) / floorMs).toFixed(1)}×`,
      },
    ],
  };
}
