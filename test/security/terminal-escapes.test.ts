/**
 * Every byte spine-lint prints comes from the one terminal escape (`escapeTerminal`,
 * packages/core/src/reporters/escape.ts) when it quotes user-controlled text: config keys and values,
 * plugin names, paths, command-line arguments, binding values in findings. ANSI/OSC escape
 * sequences, CR, LF, C1 controls, bidi controls and zero-width characters in them are shown
 * escaped on stderr and stdout, with and without colour, in-process and through the built CLI.
 *
 * The end-to-end cases need `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeTerminal, terminalSafeJson } from '@spine-lint/core';
import { runCli } from '../../packages/cli/test/support.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');

/**
 * A hostile text: a colour, an OSC 8 hyperlink and an OSC 0 window title, CR LF (a fake second
 * line), a C1 CSI, zero-width characters, LRM/RLM, the word joiner, a BOM, bidi override and isolate.
 */
const HOSTILE = '\x1b[31m\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b]0;pwned\x07\r\nspine-lint: fake line\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202e\u2066\u061c\x9b\x7f';
/** How it must be shown (written out here, not computed by the helper under test). */
const SHOWN =
  '\\x1b[31m\\x1b]8;;https://evil.example\\x07link\\x1b]8;;\\x07\\x1b]0;pwned\\x07\\x0d\\nspine-lint: fake line\\u200b\\u200c\\u200d\\u200e\\u200f\\u2060\\ufeff\\u202e\\u2066\\u061c\\x9b\\x7f';
/** The same as a file name (no `/`). */
const HOSTILE_NAME = HOSTILE.replace(/\//g, '_');
const SHOWN_NAME = SHOWN.replace(/\//g, '_');
/** Nothing of this may reach a terminal raw (LF only as a line end: checked separately). */

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** A YAML double-quoted scalar holding `text` (every character outside printable ASCII as `\uXXXX`). */
const dq = (text: string): string => `"${text.replace(/[^\x20-\x7e]|["\\]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;

let tmp: string;
let counter = 0;
function spine(files: Record<string, string>): string {
  const root = join(tmp, `spine-${++counter}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** One error line: `spine-lint: …\n`, no other line end, nothing raw; the hostile text shown escaped. */
function expectOneEscapedLine(stderr: string, containing: string): void {
  expect(stderr).toMatch(/^spine-lint: [^\n]+\n$/);
  expect(stderr).not.toMatch(RAW);
  expect(stderr).toContain(containing);
}

/** Through the built CLI, with --no-color where the command takes it. */
function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmp, NO_COLOR: '1', LANG: 'C.UTF-8' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  tmp = mkdtempSync(join(tmpdir(), 'spine-lint-escapes-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the terminal escape', () => {
  it('shows controls, OSC/ANSI escapes, CR/LF, C1, bidi and zero-width characters escaped; JSON keeps its value', () => {
    expect(escapeTerminal(HOSTILE)).toBe(SHOWN);
    expect(escapeTerminal('tab\tok é 🚀 中文')).toBe('tab\tok é 🚀 中文');
    const json = terminalSafeJson(JSON.stringify({ m: HOSTILE }));
    expect(json).not.toMatch(RAW);
    expect(JSON.parse(json)).toEqual({ m: HOSTILE });
  });
});

describe('stderr: config errors quote keys, values and plugin names escaped', () => {
  const cases: [string, string, string][] = [
    ['an unknown top-level config key', `${dq(HOSTILE)}: 1\n`, `unknown config key '${SHOWN}'`],
    ['a checks key naming no check', `checks:\n  ${dq(`D35${HOSTILE}`)}: off\n`, `checks.D35${SHOWN}: no check has this id or alias`],
    ['a paths key with an empty path', `paths:\n  ${dq(`k${HOSTILE}`)}: ""\n`, `paths.k${SHOWN} must be a non-empty string`],
    ['a severity value', `checks:\n  D35: ${dq(`loud${HOSTILE}`)}\n`, `(got 'loud${SHOWN}')`],
    ['an unknown key of a check entry', `checks:\n  D35: {${dq(`x${HOSTILE}`)}: 1}\n`, `checks.D35: unknown key 'x${SHOWN}'`],
    ['a plugin that cannot be loaded', `plugins:\n  - ${dq(`./plugin${HOSTILE}.mjs`)}\n`, `cannot load plugin './plugin${SHOWN}.mjs'`],
  ];
  for (const [name, config, shown] of cases) {
    it(`${name}: one line, exit 2, shown escaped (in-process)`, async () => {
      const root = spine({ '.spine-lint.yaml': config });
      const r = await runCli(['check', '--root', root, '--no-color']);
      expect(r.code).toBe(2);
      expectOneEscapedLine(r.stderr, shown);
    });
  }

  it('config keys, path keys and plugin names with ESC, OSC, CR, LF, zero-width and bidi characters: stderr of the built CLI holds none of them raw', () => {
    for (const [, config, shown] of cases) {
      const root = spine({ '.spine-lint.yaml': config });
      const r = cli(['check', '--no-color'], root);
      expect(r.status, config).toBe(2);
      expect(r.stdout).toBe('');
      expectOneEscapedLine(r.stderr, shown);
    }
  });

  it('a config file whose path holds the hostile text: its own errors and the read error quote the path escaped', async () => {
    const dir = join(tmp, `dir${HOSTILE_NAME}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.yaml'), 'checks: [\n');
    const bad = await runCli(['check', '--root', tmp, '--config', join(dir, 'config.yaml')]);
    expect(bad.code).toBe(2);
    expectOneEscapedLine(bad.stderr, `dir${SHOWN_NAME}/config.yaml:2:1: `);
    const missing = await runCli(['check', '--root', tmp, '--config', join(dir, 'missing.yaml')]);
    expect(missing.code).toBe(2);
    expectOneEscapedLine(missing.stderr, `dir${SHOWN_NAME}/missing.yaml`);
  });
});

describe('stderr: usage errors quote arguments escaped', () => {
  const argvs: [string[], string][] = [
    [[`frob${HOSTILE}`], `unknown command 'frob${SHOWN}'`],
    [['check', '--format', `x${HOSTILE}`], `x${SHOWN}`],
    [['check', '--root', `/nonexistent/r${HOSTILE}`], `root directory not found: /nonexistent/r${SHOWN}`],
    [['check', '--only', `D35${HOSTILE}`], `D35${SHOWN}`],
    [['check', `--bogus${HOSTILE}`], `--bogus${SHOWN}`],
    [['explain', `nope${HOSTILE}`], `nope${SHOWN}`],
  ];
  it('in-process: one line, exit 2, the argument shown escaped', async () => {
    for (const [argv, shown] of argvs) {
      const r = await runCli(argv, { cwd: tmp });
      expect(r.code, argv.join(' ')).toBe(2);
      expectOneEscapedLine(r.stderr, shown);
    }
  });

  it('through the built CLI: the same, nothing raw on stderr', () => {
    for (const [argv, shown] of argvs) {
      const r = cli(argv, tmp);
      expect(r.status, argv.join(' ')).toBe(2);
      expectOneEscapedLine(r.stderr, shown);
    }
  });
});

describe('stdout and notices: binding values, plugin texts and paths', () => {
  const plugin = `export const checks = [{
  id: 'echo-name', title: ${JSON.stringify(`Echo ${HOSTILE}`)}, description: 'Repeats a binding value.', severity: 'error', kind: 'static',
  reads: ['ops/bindings/a.yaml'], messages: { echo: 'name is {{name}}' },
  run(ctx) { ctx.report({ messageId: 'echo', data: { name: ctx.workspace.yaml('ops/bindings/a.yaml')?.value?.name }, file: 'ops/bindings/a.yaml', pointer: '/name' }); },
}];
`;
  const files = { '.spine-lint.yaml': 'plugins:\n  - ./echo.mjs\n', 'echo.mjs': plugin, 'ops/bindings/a.yaml': `name: ${dq(HOSTILE)}\n` };

  it('zero-width, LRM/RLM, bidi and escape sequences in a finding are shown escaped by stylish (--no-color); JSON and SARIF hold none of them raw and keep the value', async () => {
    const root = spine(files);
    const stylish = await runCli(['check', '--root', root, '--only', 'echo-name', '--no-color']);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain(`name is ${SHOWN}`);
    expect(stylish.stdout).not.toMatch(RAW);
    const json = await runCli(['check', '--root', root, '--only', 'echo-name', '--format', 'json']);
    expect(json.stdout).not.toMatch(RAW);
    expect(JSON.parse(json.stdout).results[0].message).toBe(`name is ${HOSTILE}`);
    const sarif = await runCli(['check', '--root', root, '--only', 'echo-name', '--format', 'sarif']);
    expect(sarif.stdout).not.toMatch(RAW);
  });

  it('list shows a plugin title escaped (text and JSON)', async () => {
    const root = spine(files);
    const text = await runCli(['list', '--root', root]);
    expect(text.stdout).toContain(`Echo ${SHOWN}`);
    expect(text.stdout).not.toMatch(RAW);
    const json = await runCli(['list', '--root', root, '--format', 'json']);
    expect(json.stdout).not.toMatch(RAW);
    expect(JSON.parse(json.stdout).find((c: { id: string }) => c.id === 'echo-name').title).toBe(`Echo ${HOSTILE}`);
  });

  it('an internal error (a plugin whose check throws on being read) prints its message and stack escaped, one line per frame', async () => {
    const root = spine({
      '.spine-lint.yaml': 'plugins:\n  - ./throws.mjs\n',
      'throws.mjs': `export const checks = [{ get id() { throw new Error(${JSON.stringify(HOSTILE)}); }, kind: 'static' }];\n`,
    });
    for (const env of [{}, { SPINE_LINT_DEBUG: '1' }] as Record<string, string>[]) {
      const r = await runCli(['check', '--root', root], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(RAW);
      expect(r.stderr.split('\n')[0]).toBe(`spine-lint: internal error: ${SHOWN}`);
      expect(r.stderr).not.toMatch(/^spine-lint: fake/m);
    }
  });

  it('the --update-baseline notice quotes the baseline path escaped', async () => {
    const root = spine(files);
    const r = await runCli(['check', '--root', root, '--only', 'echo-name', '--no-color', '--baseline', `b${HOSTILE_NAME}.json`, '--update-baseline'], { cwd: root });
    expect(r.stderr).toMatch(/^spine-lint: wrote 1 finding to the baseline [^\n]+\n$/);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain(`b${SHOWN_NAME}.json`);
  });
});
