import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles, GitSource, stagedFiles, Workspace } from '@spine-lint/core';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
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

const nameIn = (source: GitSource, path = 'ops/bindings/a.yaml'): unknown =>
  (new Workspace(source).yaml(path)?.value as { name?: string } | undefined)?.name;

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
