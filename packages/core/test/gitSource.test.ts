import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles, GitSource, stagedFiles, Workspace } from '@spine-lint/core';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
const write = (root: string, path: string, text: string): void => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

let repo: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spine-gitsource-'));
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'spine/ops/bindings/a.yaml', 'version: 1\nname: first\n');
  write(repo, 'spine/docs/governance/b.md', '# B\n');
  write(repo, 'outside.yaml', 'x: 1\n');
  symlinkSync('a.yaml', join(repo, 'spine/ops/bindings/link.yaml'));
  symlinkSync('../../../outside.yaml', join(repo, 'spine/ops/bindings/escape.yaml'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'one');
  git(repo, 'tag', 'v1');
  write(repo, 'spine/ops/bindings/a.yaml', 'version: 1\nname: second\n');
  write(repo, 'spine/ops/bindings/new.yaml', 'added: true\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'two');
  // Staged but not committed, then a further unstaged edit of the same file.
  write(repo, 'spine/ops/bindings/a.yaml', 'version: 1\nname: staged\n');
  git(repo, 'add', 'spine/ops/bindings/a.yaml');
  write(repo, 'spine/ops/bindings/a.yaml', 'version: 1\nname: working\n');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

const nameIn = (source: GitSource, path = 'ops/bindings/a.yaml'): unknown => (new Workspace(source).yaml(path)?.value as { name?: string } | undefined)?.name;

describe('GitSource', () => {
  it('reads a file at a revision, relative to a spine root inside the repository', () => {
    const root = join(repo, 'spine');
    expect(nameIn(GitSource.atRevision(root, 'v1'))).toBe('first');
    expect(nameIn(GitSource.atRevision(root, 'HEAD'))).toBe('second');
    expect(nameIn(GitSource.atRevision(root, 'HEAD~1'))).toBe('first');
  });

  it('reads the index for --staged: the staged content, not the working tree', () => {
    const source = GitSource.index(join(repo, 'spine'));
    expect(source.label).toBe('git:index');
    expect(nameIn(source)).toBe('staged');
    expect(readFileSync(join(repo, 'spine/ops/bindings/a.yaml'), 'utf8')).toContain('working');
  });

  it('lists files and reports missing ones', () => {
    const source = GitSource.atRevision(join(repo, 'spine'), 'v1');
    expect(source.list('ops/bindings')).toEqual(['ops/bindings/a.yaml', 'ops/bindings/escape.yaml', 'ops/bindings/link.yaml']);
    expect(source.read('ops/bindings/new.yaml', 1000)).toEqual({ status: 'missing' });
    expect(GitSource.atRevision(join(repo, 'spine'), 'HEAD').list('ops/bindings')).toContain('ops/bindings/new.yaml');
    expect(source.paths()).not.toContain('outside.yaml');
  });

  it('follows symbolic links inside the tree and refuses ones that leave the root', () => {
    const source = GitSource.atRevision(join(repo, 'spine'), 'v1');
    expect(nameIn(source, 'ops/bindings/link.yaml')).toBe('first');
    const escape = source.read('ops/bindings/escape.yaml', 1000);
    expect(escape.status).toBe('refused');
    expect(escape.status === 'refused' && escape.code).toBe('outside-root');
    expect(source.read('../outside.yaml', 1000).status).toBe('refused');
  });

  it('refuses files over the size limit without reading them', () => {
    const read = GitSource.atRevision(join(repo, 'spine'), 'v1').read('ops/bindings/a.yaml', 5);
    expect(read.status === 'refused' && read.code).toBe('too-large');
  });

  it('unknown revisions and option-looking revisions are usage errors', () => {
    expect(() => GitSource.atRevision(repo, 'no-such-branch')).toThrow(/unknown git revision 'no-such-branch'/);
    expect(() => GitSource.atRevision(repo, '--output=/tmp/x')).toThrow(/not a valid git revision/);
    expect(() => GitSource.atRevision(tmpdir(), 'HEAD')).toThrow(/not inside a git repository/);
  });

  it('lists changed files between revisions, against the index and against the working tree', () => {
    const root = join(repo, 'spine');
    expect(changedFiles(root, 'v1', 'HEAD')).toEqual(['ops/bindings/a.yaml', 'ops/bindings/new.yaml']);
    expect(changedFiles(root, 'HEAD', 'index')).toEqual(['ops/bindings/a.yaml']);
    expect(changedFiles(root, 'HEAD', undefined)).toEqual(['ops/bindings/a.yaml']);
    expect(stagedFiles(root)).toEqual(['ops/bindings/a.yaml']);
  });

  it('never writes to the repository (no index refresh, no lock)', () => {
    const index = join(repo, '.git/index');
    const before = statSync(index).mtimeMs;
    const before2 = readFileSync(index);
    GitSource.index(repo).read('spine/ops/bindings/a.yaml', 1000);
    GitSource.atRevision(repo, 'HEAD').read('spine/ops/bindings/a.yaml', 1000);
    changedFiles(repo, 'HEAD', undefined);
    expect(statSync(index).mtimeMs).toBe(before);
    expect(readFileSync(index).equals(before2)).toBe(true);
  });
});

/**
 * Git started through a logging wrapper placed first on PATH (GitSource runs `git` from PATH with the
 * process environment): every invocation's arguments, and the object ids fed to `cat-file --batch`.
 */
describe('GitSource reads blobs in batches, not one git process per file', () => {
  let big: string;
  let log: string;
  let savedPath: string | undefined;
  const files = new Map<string, string>();
  const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const batchInputs = (): string[] => (existsSync(`${log}.batch`) ? readFileSync(`${log}.batch`, 'utf8').split('\n').filter(Boolean) : []);
  const reset = (): void => {
    rmSync(log, { force: true });
    rmSync(`${log}.batch`, { force: true });
  };
  const count = (args: string): number => calls().filter((c) => c === args).length;
  const oidOf = (path: string): string => git(big, 'rev-parse', `:${path}`).trim();

  beforeAll(() => {
    big = mkdtempSync(join(tmpdir(), 'spine-gitsource-batch-'));
    git(big, 'init', '-q', '-b', 'main');
    // 3 directories × 100 files under a spine root in a subdirectory, some with equal contents.
    for (const dir of ['ops/bindings', 'ops/plugins', 'docs/governance']) {
      for (let i = 0; i < 100; i++) {
        const path = `spine/${dir}/f${String(i).padStart(3, '0')}.yaml`;
        const text = i % 10 === 0 ? 'same: content\n' : `dir: ${dir}\nindex: ${i}\nline: ${'x'.repeat(i)}\n`;
        files.set(path.slice('spine/'.length), text);
        write(big, path, text);
      }
    }
    write(big, 'spine/ops/huge.yaml', `big: ${'y'.repeat(20_000)}\n`);
    write(big, 'elsewhere/outside.yaml', 'not: under the root\n');
    symlinkSync('../bindings/f001.yaml', join(big, 'spine/ops/plugins/link.yaml'));
    git(big, 'add', '-A');
    git(big, 'commit', '-q', '-m', 'many files');
    // A submodule (gitlink) entry and a staged edit, so the index differs from HEAD.
    const head = git(big, 'rev-parse', 'HEAD').trim();
    git(big, 'update-index', '--add', '--cacheinfo', `160000,${head},spine/ops/sub`);
    write(big, 'spine/ops/bindings/f005.yaml', 'staged: edit\n');
    git(big, 'add', 'spine/ops/bindings/f005.yaml');

    const bin = join(big, '.test-bin');
    mkdirSync(bin);
    log = join(bin, 'calls.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ "$*" = "cat-file --batch" ]; then tee -a '${log}.batch' | '${realGit}' "$@"; exit $?; fi\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
  });

  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(big, { recursive: true, force: true });
  });

  const readAll = (source: GitSource, maxBytes = 10_000): Map<string, string> => {
    const out = new Map<string, string>();
    for (const path of source.paths()) {
      const read = source.read(path, maxBytes);
      if (read.status === 'ok') out.set(path, Buffer.from(read.bytes).toString('utf8'));
    }
    return out;
  };

  it('the index: every file of a 300-file tree through one cat-file --batch-check and a cat-file --batch per directory', () => {
    const source = GitSource.index(join(big, 'spine'));
    reset();
    const read = readAll(source);
    for (const [path, text] of files) expect(read.get(path), path).toBe(path === 'ops/bindings/f005.yaml' ? 'staged: edit\n' : text);
    expect(read.get('ops/plugins/link.yaml')).toBe(files.get('ops/bindings/f001.yaml'));
    expect(read.size).toBe(301);
    expect(count('cat-file --batch-check')).toBe(1);
    // Two objects alone (SINGLE_READS), then one batch per directory as the reads reach it (3 directories).
    expect(count('cat-file --batch')).toBe(5);
    expect(calls()).toHaveLength(6);
    // Each object is asked once (equal contents share one blob); the blob over the limit never is.
    const asked = batchInputs();
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).not.toContain(oidOf('spine/ops/huge.yaml'));
    // Reading again, or through a Workspace, starts no further git process.
    const ws = new Workspace(source);
    expect((ws.yaml('ops/plugins/f042.yaml')?.value as { index?: number }).index).toBe(42);
    expect(calls()).toHaveLength(6);
  });

  it('a revision: sizes from ls-tree, no cat-file --batch-check; a batch per directory', () => {
    const source = GitSource.atRevision(join(big, 'spine'), 'HEAD');
    reset();
    const read = readAll(source);
    for (const [path, text] of files) expect(read.get(path), path).toBe(text);
    expect(calls()).toEqual(Array(5).fill('cat-file --batch'));
  });

  it('a revision read for a file or two (the base of a --staged run) fetches only those objects', () => {
    const source = GitSource.atRevision(join(big, 'spine'), 'HEAD');
    reset();
    expect(source.read('ops/bindings/f042.yaml', 10_000).status).toBe('ok');
    expect(source.read('docs/governance/f007.yaml', 10_000).status).toBe('ok');
    expect(batchInputs()).toEqual([oidOf('spine/ops/bindings/f042.yaml'), oidOf('spine/docs/governance/f007.yaml')]);
    // A third object starts batching, limited to the directories read so far.
    expect(source.read('ops/bindings/f043.yaml', 10_000).status).toBe('ok');
    const third = batchInputs().slice(2);
    expect(third.length).toBeGreaterThan(100);
    expect(third).not.toContain(oidOf('spine/ops/plugins/f051.yaml'));
  });

  it('keeps refusals exactly: too-large (not read), submodule, missing, outside the root', () => {
    const source = GitSource.index(join(big, 'spine'));
    reset();
    expect(source.read('ops/huge.yaml', 10_000)).toEqual({
      status: 'refused',
      code: 'too-large',
      reason: "'ops/huge.yaml' is 20006 bytes, over the limit of 10000 bytes (limits.maxFileBytes); it is not parsed.",
    });
    expect(source.read('ops/sub', 10_000)).toEqual({ status: 'refused', code: 'not-a-file', reason: "'ops/sub' is not a regular file (git commit)." });
    expect(source.read('ops/none.yaml', 10_000)).toEqual({ status: 'missing' });
    expect(source.read('../elsewhere/outside.yaml', 10_000).status).toBe('refused');
    expect(source.paths()).not.toContain('elsewhere/outside.yaml');
    // The size refusal needed the sizes only: no content was read.
    expect(calls()).toEqual(['cat-file --batch-check']);
    expect(source.read('ops/bindings/f001.yaml', 10_000).status).toBe('ok');
    expect(batchInputs()).not.toContain(oidOf('spine/ops/huge.yaml'));
    // A larger limit later reads the large blob on its own.
    const huge = source.read('ops/huge.yaml', 100_000);
    expect(huge.status === 'ok' && huge.bytes.length).toBe(20006);
    expect(count('cat-file --batch')).toBe(2);
  });

  it('over the batch budget: a directory at a time in bounded batches, still far fewer processes than files', () => {
    const source = GitSource.index(join(big, 'spine'), { batchBytes: 4000 });
    reset();
    const read = readAll(source);
    expect(read.size).toBe(301);
    for (const [path, text] of files) expect(read.get(path), path).toBe(path === 'ops/bindings/f005.yaml' ? 'staged: edit\n' : text);
    const batches = count('cat-file --batch');
    expect(batches).toBeGreaterThan(3);
    expect(batches).toBeLessThan(40); // 31 KB of contents in 4 KB batches, not 301 processes
    expect(count('cat-file --batch-check')).toBe(1);
  });
});

describe('GitSource and merge conflicts in the index', () => {
  it('a path with only conflict stages is refused as unmerged; the other files still read', () => {
    const repo2 = mkdtempSync(join(tmpdir(), 'spine-gitsource-conflict-'));
    try {
      git(repo2, 'init', '-q', '-b', 'main');
      write(repo2, 'a.yaml', 'v: base\n');
      write(repo2, 'b.yaml', 'other: file\n');
      git(repo2, 'add', '-A');
      git(repo2, 'commit', '-q', '-m', 'base');
      git(repo2, 'checkout', '-q', '-b', 'side');
      write(repo2, 'a.yaml', 'v: side\n');
      git(repo2, 'commit', '-q', '-am', 'side');
      git(repo2, 'checkout', '-q', 'main');
      write(repo2, 'a.yaml', 'v: main\n');
      git(repo2, 'commit', '-q', '-am', 'main');
      expect(() => git(repo2, 'merge', '-q', 'side')).toThrow();
      const source = GitSource.index(repo2);
      expect(source.read('a.yaml', 1000)).toEqual({
        status: 'refused',
        code: 'unreadable',
        reason: "'a.yaml' has unresolved merge conflicts in the index; resolve and stage it first.",
      });
      const b = source.read('b.yaml', 1000);
      expect(b.status === 'ok' && Buffer.from(b.bytes).toString('utf8')).toBe('other: file\n');
    } finally {
      rmSync(repo2, { recursive: true, force: true });
    }
  });
});
