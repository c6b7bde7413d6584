// Where things are, and what the spine-lint build in this checkout can do right now.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
export const CORE_DIST = join(REPO, 'packages/core/dist/index.js');
export const CHECKS_DIST = join(REPO, 'packages/checks/dist/index.js');
export const NODE = process.execPath;

/** The shared corpus: `../shared/corpus` next to the checkout, or SPINE_LINT_CORPUS. */
export function corpusDir() {
  const candidates = [process.env.SPINE_LINT_CORPUS, resolve(REPO, '../shared/corpus'), '/work/shared/corpus'].filter(Boolean);
  return candidates.find((c) => existsSync(join(c, 'trees')));
}

/** The newest full tree (highest NN- prefix). */
export function newestTree(corpus) {
  if (!corpus) return undefined;
  const trees = readdirSync(join(corpus, 'trees'))
    .filter((d) => /^\d+-[0-9a-f]+$/.test(d))
    .sort();
  return trees.length ? join(corpus, 'trees', trees[trees.length - 1]) : undefined;
}

/** Build the CLI when its dist is missing (a fresh clone without `npm install`'s prepare). */
export function ensureBuilt(log) {
  if (existsSync(CLI)) return true;
  log?.('packages/cli/dist missing: building (npx tsc -b packages/cli)');
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: REPO, stdio: 'inherit' });
  return r.status === 0 && existsSync(CLI);
}

export function cli(args, opts = {}) {
  return spawnSync(NODE, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
}

/** Whether the CLI has a command (`probe`, ...): its --help exits 0. */
export function hasCommand(name) {
  const r = cli([name, '--help']);
  return r.status === 0 && !/unknown command/i.test(r.stderr);
}

/** Whether an option appears in a command's help text. */
export function hasOption(command, option) {
  const r = cli([command, '--help']);
  return r.status === 0 && r.stdout.includes(option);
}

/** The catalog as `spine-lint list --format json` reports it (ids, aliases, kind, reads as paths). */
export function listChecks(root) {
  const r = cli(['list', '--format', 'json', ...(root ? ['--root', root] : [])]);
  if (r.status !== 0) throw new Error(`spine-lint list failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Files directly inside a directory, or [] when it is missing. */
export function filesIn(dir) {
  try {
    return readdirSync(dir)
      .filter((f) => statSync(join(dir, f)).isFile())
      .sort();
  } catch {
    return [];
  }
}
