// Benchmark 5 — the pre-commit path: `spine-lint check --staged` in a real git repository holding
// the newest corpus tree, (a) with only a non-binding file staged, (b) with one binding staged,
// against an empty `node` start, interleaved in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved } from './lib/measure.mjs';
import { CLI, corpusDir, hasOption, NODE, newestTree } from './lib/spine.mjs';

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' },
  });

const NOW = '2026-03-06T10:51:47Z';

export async function run({ runs, warmup, log }) {
  if (!hasOption('check', '--staged')) return { status: 'unavailable', reason: "'spine-lint check' has no --staged option yet" };
  const tree = newestTree(corpusDir());
  if (!tree) return { status: 'unavailable', reason: 'no corpus tree found' };
  const base = mkdtempSync(join(tmpdir(), 'bench-staged-'));
  try {
    const a = join(base, 'unrelated');
    cpSync(join(tree, 'ops'), join(a, 'ops'), { recursive: true });
    cpSync(join(tree, 'docs'), join(a, 'docs'), { recursive: true });
    writeFileSync(join(a, 'README.md'), '# spine\n');
    git(a, 'init', '-q');
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'tree');
    const b = join(base, 'binding');
    git(base, 'clone', '-q', a, b);
    appendFileSync(join(a, 'README.md'), 'a change that touches no binding\n');
    git(a, 'add', 'README.md');
    appendFileSync(join(b, 'ops/bindings/ssh.targets.yaml'), '# a staged edit of one binding\n');
    git(b, 'add', 'ops/bindings/ssh.targets.yaml');
    log(`staged: repositories ready (${tree.split('/').pop()})`);
    const accept = (c) => c === 0 || c === 1;
    const cacheAvailable = hasOption('check', '--cache');
    const cacheFile = join(base, 'cache.json');
    const HOOK_NONE = [CLI, 'check', '--staged', '--cache', '--cache-location', join(base, 'hook-cache.json')];
    const commands = [
      { name: 'empty node', cmd: NODE, args: ['-e', '0'] },
      { name: 'spine-lint --version (module loading only)', cmd: NODE, args: [CLI, '--version'] },
      // The hook's own entry (.pre-commit-hooks.yaml: `spine-lint check --staged --cache`, stylish): the target.
      { name: 'check --staged --cache, no binding staged (the hook)', cmd: NODE, args: HOOK_NONE, opts: { cwd: a }, accept },
      // A CI job asking for JSON always gets a JSON document: the full CLI writes it (reported).
      { name: 'check --staged --format json, no binding staged', cmd: NODE, args: [CLI, 'check', '--staged', '--format', 'json'], opts: { cwd: a }, accept },
      // --now: the tree's own date, as in the static benchmark (with today's date D58 would report every binding stale).
      { name: 'check --staged, one binding staged', cmd: NODE, args: [CLI, 'check', '--staged', '--format', 'json', '--now', NOW], opts: { cwd: b }, accept },
      // What the pre-commit hook runs (--cache): after the warm-up round the other bindings' digests are known.
      ...(cacheAvailable
        ? [
            {
              name: 'check --staged --cache, one binding staged',
              cmd: NODE,
              args: [CLI, 'check', '--staged', '--cache', '--cache-location', cacheFile, '--format', 'json', '--now', NOW],
              opts: { cwd: b },
              accept,
            },
          ]
        : []),
    ];
    // Which path answered the no-binding case (the pre-commit fast path in bin.cts, or the full CLI:
    // e.g. when a core rebuild without `npm run build` left the fast-path manifest stale). Asked
    // before and after the timed runs, so a rebuild during the run shows.
    const fastPath = () => {
      const r = spawnSync(NODE, HOOK_NONE, { cwd: a, encoding: 'utf8', env: { ...process.env, SPINE_LINT_DEBUG_FAST_PATH: '1' } });
      return /fast path: ([^\n]*)/.exec(r.stderr ?? '')?.[1] ?? 'no fast-path report';
    };
    const pathBefore = fastPath();
    const m = await interleaved(commands, { runs, warmup });
    const pathAfter = fastPath();
    const pathNote = pathBefore === pathAfter ? `answered by: ${pathBefore}` : `answered by: ${pathBefore} before the runs, ${pathAfter} after`;
    for (const c of commands) if (m[c.name].errors.length) return { status: 'error', reason: `${c.name}: exit ${m[c.name].errors[0].code}: ${m[c.name].errors[0].stderr}` };
    const summaryOf = (name) => {
      try {
        return JSON.parse(m[name].last.stdout).summary;
      } catch {
        return undefined;
      }
    };
    const empty = m['empty node'].wall.median;
    const none = m['check --staged --cache, no binding staged (the hook)'].wall.median;
    const noneJson = m['check --staged --format json, no binding staged'].wall.median;
    const one = m['check --staged, one binding staged'].wall.median;
    const s1 = summaryOf('check --staged, one binding staged');
    const cached = cacheAvailable ? m['check --staged --cache, one binding staged'].wall.median : undefined;
    const sameReport = cacheAvailable ? JSON.stringify({ ...summaryOf('check --staged --cache, one binding staged'), durationMs: 0 }) === JSON.stringify({ ...s1, durationMs: 0 }) : undefined;
    return {
      status: 'ok',
      measurements: commands.map((c) => ({
        name: c.name,
        wallMs: m[c.name].wall,
        rssMb: m[c.name].rss,
        note: c.name.includes('(the hook)')
          ? pathNote
          : c.name.includes('--cache')
            ? `same summary as without --cache: ${sameReport}`
            : c.name.includes('one binding') && s1
              ? `${s1.checksRun} checks run, ${s1.filesRead} files read`
              : '',
      })),
      targets: [
        { label: 'nothing relevant staged, the hook / empty node', target: '≤ 1.2×', measured: none / empty, pass: none / empty <= 1.2 },
        { label: 'nothing relevant staged, --format json / empty node', target: '(reported)', measured: noneJson / empty },
        { label: 'one binding staged / empty node', target: '(reported)', measured: one / empty },
        ...(cacheAvailable ? [{ label: 'one binding staged, --cache (the hook) / without', target: '(reported)', measured: cached / one }] : []),
      ],
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
