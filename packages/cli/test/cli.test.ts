import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'spine-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spine(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('spine-lint CLI', () => {
  it('prints help and version with exit 0', async () => {
    expect(await runCli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: spine-lint <command>') });
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await runCli(['check', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--max-warnings N') });
  });

  it('usage errors exit 2 with one line and no stack trace', async () => {
    for (const argv of [
      ['frobnicate'],
      ['check', '--bogus'],
      ['check', '--root', join(tmp, 'nope')],
      ['check', '--format', 'xml'],
      ['check', '--max-warnings', 'x'],
      ['check', '--only', 'no-such-check'],
      ['explain'],
      ['explain', 'nope'],
    ]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^spine-lint: .+\n$/);
      expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    }
  });

  it('a bad config is exit 2 with file:line:col', async () => {
    const root = spine('badconfig', { '.spine-lint.yaml': 'checks:\n  D35: loud\n', 'ops/bindings/a.yaml': 'a: 1\n' });
    const r = await runCli(['check', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".spine-lint.yaml:2:8: checks.D35: severity must be one of error, warning, off (got 'loud')");
    const unknown = spine('unknowncheck', { '.spine-lint.yaml': 'checks:\n  no-such-check: off\n' });
    expect((await runCli(['check', '--root', unknown])).stderr).toContain('checks.no-such-check: no check has this id or alias');
  });

  it('a clean spine exits 0; a malformed binding is a parse finding and exit 1, not 2', async () => {
    const clean = spine('clean', { 'ops/bindings/a.yaml': 'a: 1\n' });
    // Engine behaviour only: the catalog would (rightly) report the missing spine bindings here.
    const ok = await runCli(['check', '--root', clean, '--only', 'parse']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('no problems');
    const broken = spine('broken', { 'ops/bindings/a.yaml': 'a: 1\nb: [1\n', 'ops/bindings/c.yaml': 'k: 1\nk: 2\n' });
    const r = await runCli(['check', '--root', broken, '--format', 'json', '--only', 'parse']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { version: number; results: { file: string; line: number; column: number; checkId: string }[]; summary: Record<string, number> };
    expect(Object.keys(json)).toEqual(['version', 'results', 'summary']);
    expect(json.results.map((x) => `${x.file}:${x.line}:${x.column} ${x.checkId}`)).toContain('ops/bindings/c.yaml:2:1 parse');
    expect(json.summary.errors).toBeGreaterThanOrEqual(2);
  });

  it('--max-warnings turns warnings into exit 1; --quiet hides them', async () => {
    const root = spine('warn', { 'ops/bindings/a.yaml': 'a: 1\n---\nb: 2\n' });
    expect((await runCli(['check', '--root', root, '--only', 'parse'])).code).toBe(0);
    expect((await runCli(['check', '--root', root, '--only', 'parse', '--max-warnings', '0'])).code).toBe(1);
    const quiet = await runCli(['check', '--root', root, '--only', 'parse', '--quiet']);
    expect(quiet.stdout).not.toContain('warning');
  });

  it('colours only on a TTY', async () => {
    const root = spine('colour', { 'ops/bindings/a.yaml': 'k: 1\nk: 2\n' });
    expect((await runCli(['check', '--root', root])).stdout).not.toContain('\u001b[');
    expect((await runCli(['check', '--root', root], { tty: true })).stdout).toContain('\u001b[');
    expect((await runCli(['check', '--root', root, '--no-color'], { tty: true })).stdout).not.toContain('\u001b[');
  });

  it('list shows every check with id, aliases, severity, kind and reads', async () => {
    const r = await runCli(['list', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; aliases: string[]; severity: string; kind: string; reads: string[] }[];
    expect(rows.map((x) => x.id)).toEqual(expect.arrayContaining(['parse', 'schema', 'suppression', 'check-error']));
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'aliases', 'title', 'severity', 'kind', 'reads', 'bindings', 'docsUrl']);
  });

  it('reports the duplicate key in the real capability_map.yaml', async () => {
    const r = await runCli(['check', '--root', '../shared/corpus/trees/19-a00cb7b7', '--only', 'parse', '--format', 'json'], { cwd: join(import.meta.dirname, '../../..') });
    const json = JSON.parse(r.stdout) as { results: { file: string; line: number; column: number; message: string }[] };
    expect(json.results.filter((x) => x.file === 'ops/bindings/capability_map.yaml').map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      "2853:3 Duplicate key 'coordinator.lane.closeout': YAML keeps only the last one, so the earlier value is silently lost. Merge or rename the entries.",
    ]);
  });
});
