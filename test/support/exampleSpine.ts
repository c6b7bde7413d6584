/**
 * The bundled example spine as the end-to-end tests use it: a git copy in a scratch directory and
 * the built CLI run on it as a user runs it (a child process, no colour, a scratch HOME).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
export const EXAMPLE = join(REPO, 'examples/phase4-observability');

/** `git …` in `cwd` with a throwaway identity; its stdout. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

/** A copy of the example spine at `root`, committed in a new git repository; `root`. */
export function gitCopyOfExample(root: string): string {
  cpSync(EXAMPLE, root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'example');
  return root;
}

/** The built CLI in `cwd`: exit status, stdout and stderr. */
export function runCli(args: string[], cwd: string, home: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
