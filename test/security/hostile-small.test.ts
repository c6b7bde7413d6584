/**
 * The smaller items of the second hostile pass, through the built CLI: impossible `--now` dates,
 * hand-edited `--replay` files, bindings refused unread (too large, a FIFO, a link leaving the
 * root), a binding directory that is a link leaving the root, and a directory the user running
 * spine-lint cannot read. Each ends with a clear finding or exit 2, never a raw JS error, never a
 * name or path from outside the repository, and never a false claim about a binding that was not
 * read ("every service is missing from SERVICE_REGISTRY").
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';

let scratch: string;
let env: NodeJS.ProcessEnv;
let counter = 0;

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-hostile-small-'));
  // Readable by an unprivileged user (the unreadable-directory case runs the CLI as one).
  chmodSync(scratch, 0o755);
  const home = join(scratch, 'home');
  mkdirSync(home, { mode: 0o777 });
  env = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the example spine in `<case>/repo`, and a directory beside it (outside the root). */
function spine(): { root: string; outside: string } {
  const dir = join(scratch, `case-${++counter}`);
  const root = join(dir, 'repo');
  cpSync(EXAMPLE, root, { recursive: true });
  const outside = join(dir, 'outside-OUTSIDE_MARK');
  mkdirSync(outside);
  return { root, outside };
}

type Run = { status: number | null; stdout: string; stderr: string };
const cli = (args: string[], cwd: string, asUser?: number): Run => {
  const argv = asUser === undefined ? [process.execPath, CLI, ...args] : ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, CLI, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

interface JsonReport {
  results: { checkId: string; messageId: string; file: string | null; line: number; message: string }[];
  skipped?: { checkId: string; because: { file: string; state: string }[] }[];
}
const report = (r: Run): JsonReport => {
  expect(r.stderr).not.toMatch(/internal error|TypeError|at .*\.c?js:\d+/);
  return JSON.parse(r.stdout) as JsonReport;
};

/** The claims a check would make if it ran on a registry it could not read. */
const FALSE_CLAIMS = /missing (in|from) (service registry|SERVICE_REGISTRY)|SERVICE_REGISTRY host=null|SERVICE_REGISTRY hosts entry missing|missing SERVICE_REGISTRY hosts entry/;

describe('--now takes only real calendar dates', () => {
  it('2026-02-30, 2026-13-01, 2026-02-28T25:00:00Z, "tomorrow" and 2026-2-3 are usage errors (exit 2); 2024-02-29 and a full ISO instant are accepted', () => {
    const { root } = spine();
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-02-28T25:00:00Z', '2026-02-28T12:60:00Z', 'tomorrow', '2026-2-3', 'March 3, 2026']) {
      const r = cli(['check', '--root', '.', '--format', 'json', '--now', bad], root);
      expect(r.status, bad).toBe(2);
      expect(r.stderr, bad).toContain(`--now takes an ISO date or date-time such as 2026-02-28 or 2026-02-28T12:00:00Z (got '${bad}')`);
      expect(r.stderr, bad).not.toMatch(/internal error|\n\s+at /);
    }
    for (const good of ['2024-02-29', '2026-03-05', '2026-03-05T10:20:30Z', '2026-03-05T10:20:30.5+02:00']) {
      const r = cli(['check', '--root', '.', '--format', 'json', '--now', good], root);
      expect(r.status, `${good}: ${r.stderr}`).toBe(1);
    }
  });
});

describe('--replay files that are not recordings', () => {
  it('a null, a string, an array or a wrongly typed field among the observations: exit 2 naming the entry, no raw JS error, nothing quoted from the file', () => {
    const { root } = spine();
    const valid = { key: 'health-endpoints/grafana', kind: 'http', outcome: 'response', status: 200, durationMs: 1, attempts: 1, probe: {} };
    const cases: [unknown[], string][] = [
      [[null], 'observations[0] is null, not an observation object'],
      [[valid, 'SECRET_TEXT'], 'observations[1] is string, not an observation object'],
      [[[valid]], 'observations[0] is an array, not an observation object'],
      [[{ ...valid, key: 7 }], "observations[0] has no string 'key'"],
      [[{ ...valid, kind: 'SECRET_KIND' }], "observations[0] has 'kind' other than http or ssh"],
      [[{ ...valid, outcome: null }], "observations[0] has no known 'outcome'"],
      [[{ ...valid, status: 'SECRET_STATUS' }], "observations[0] has 'status' of type string"],
      [[{ ...valid, kind: 'ssh', stdout: { a: 1 } }], "observations[0] has 'stdout' of type object"],
    ];
    for (const [observations, reason] of cases) {
      const file = join(root, 'rec.json');
      writeFileSync(file, JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations }));
      const r = cli(['probe', '--root', '.', '--replay', 'rec.json', '--format', 'json'], root);
      expect(r.status, `${reason}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`cannot read recording ${file}: ${reason}`);
      expect(r.stderr).not.toMatch(/internal error|TypeError|Cannot read properties|\n\s+at /);
      expect(r.stderr + r.stdout).not.toContain('SECRET');
    }
    // A well-formed recording still replays.
    writeFileSync(join(root, 'rec.json'), JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations: [valid] }));
    expect([0, 1]).toContain(cli(['probe', '--root', '.', '--replay', 'rec.json', '--format', 'json'], root).status);
  });
});

describe('a binding refused unread is unreadable: the checks that read it do not run', () => {
  /** Damage SERVICE_REGISTRY.yaml, run check: its one parse finding, its readers skipped, no false claim. */
  function expectUnreadableRegistry(damage: (root: string, outside: string) => void, reason: RegExp, config?: string): void {
    const { root, outside } = spine();
    damage(root, outside);
    if (config) writeFileSync(join(root, '.spine-lint.yaml'), config);
    const r = cli(['check', '--root', '.', '--format', 'json', '--now', '2026-03-05'], root);
    expect(r.status).toBe(1);
    const json = report(r);
    const own = json.results.filter((f) => f.file === REGISTRY);
    expect(own.map((f) => f.checkId)).toEqual(['parse']);
    expect(own[0]!.message).toMatch(reason);
    expect(json.results.filter((f) => FALSE_CLAIMS.test(f.message))).toEqual([]);
    const skipped = (json.skipped ?? []).filter((s) => s.because.some((b) => b.file === REGISTRY && b.state === 'unreadable'));
    expect(skipped.map((s) => s.checkId)).toEqual(expect.arrayContaining(['relocation-parity', 'placement-policy', 'cross-registry-completeness', 'infra-core-service-parity']));
    expect(r.stdout + r.stderr).not.toContain('OUTSIDE_MARK');
    // stylish says so too.
    const stylish = cli(['check', '--root', '.', '--now', '2026-03-05'], root);
    expect(stylish.stdout).toMatch(/checks? did not run: docs\/governance\/SERVICE_REGISTRY.yaml could not be read/);
  }

  it('SERVICE_REGISTRY.yaml over the size limit: one parse finding, the readers listed as skipped (unreadable), no finding claims services or hosts are missing from it', () => {
    expectUnreadableRegistry((root) => writeFileSync(join(root, REGISTRY), 'a'.repeat(20_000) + '\n'), /is 20001 bytes, over the limit of 16384 bytes/, 'limits:\n  maxFileBytes: 16384\n');
  });

  it('SERVICE_REGISTRY.yaml a FIFO: one parse finding, the readers listed as skipped (unreadable), no finding claims services or hosts are missing from it', () => {
    expectUnreadableRegistry((root) => (rmSync(join(root, REGISTRY)), execFileSync('mkfifo', [join(root, REGISTRY)])), /is not a regular file \(it is a FIFO\)/);
  });

  it('SERVICE_REGISTRY.yaml a link leaving the root: one parse finding, the readers listed as skipped (unreadable), no finding claims services or hosts are missing from it', () => {
    expectUnreadableRegistry((root, outside) => {
      renameSync(join(root, REGISTRY), join(outside, 'SERVICE_REGISTRY.yaml'));
      symlinkSync(join(outside, 'SERVICE_REGISTRY.yaml'), join(root, REGISTRY));
    }, /is a symbolic link \(or under one\) that leaves the checked root; it is not read/);
  });
});

describe('a binding directory that is a link leaving the root', () => {
  it('docs/governance -> a directory outside: no name or path from outside in any output; a finding on the directory and on each binding read through it; no false claims', () => {
    const { root, outside } = spine();
    cpSync(join(root, 'docs/governance'), outside, { recursive: true });
    writeFileSync(join(outside, 'PRIVATE_NAME_OUTSIDE.md'), '# private\n');
    rmSync(join(root, 'docs/governance'), { recursive: true });
    symlinkSync(outside, join(root, 'docs/governance'));
    for (const format of ['json', 'stylish', 'sarif', 'github']) {
      const r = cli(['check', '--root', '.', '--format', format, '--now', '2026-03-05'], root);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout + r.stderr, format).not.toMatch(/PRIVATE_NAME_OUTSIDE|OUTSIDE_MARK/);
      expect(r.stdout + r.stderr, format).not.toContain(outside);
    }
    const json = report(cli(['check', '--root', '.', '--format', 'json', '--now', '2026-03-05'], root));
    expect(json.results.filter((f) => FALSE_CLAIMS.test(f.message))).toEqual([]);
    const registry = json.results.find((f) => f.file === REGISTRY)!;
    expect(registry).toMatchObject({ checkId: 'parse', line: 1 });
    expect(registry.message).toBe(`'${REGISTRY}' is a symbolic link (or under one) that leaves the checked root; it is not read.`);
    // The listing (ssot-freshness walks docs/governance) is refused on the directory, not shown empty.
    const listing = json.results.find((f) => f.file === 'docs/governance')!;
    expect(listing).toMatchObject({ checkId: 'parse', line: 1 });
    expect(listing.message).toBe("'docs/governance' is a symbolic link (or under one) that leaves the checked root; its files are not listed or read.");
  });
});

describe('a directory the user cannot read', () => {
  const root0 = process.getuid?.() === 0;
  it.runIf(root0)('docs/governance mode 000, spine-lint run as an unprivileged user: findings that say permission denied, never "missing", and no false claims', () => {
    const { root } = spine();
    chmodSync(join(root, 'docs/governance'), 0o000);
    try {
      const r = cli(['check', '--root', '.', '--format', 'json', '--now', '2026-03-05'], root, 65534);
      expect(r.status, r.stderr).toBe(1);
      const json = report(r);
      expect(json.results.filter((f) => FALSE_CLAIMS.test(f.message))).toEqual([]);
      const registry = json.results.find((f) => f.file === REGISTRY)!;
      expect(registry).toMatchObject({ checkId: 'parse', line: 1 });
      expect(registry.message).toMatch(/could not be read: permission denied \(EACCES\)/);
      const listing = json.results.find((f) => f.file === 'docs/governance')!;
      expect(listing.message).toMatch(/^the directory 'docs\/governance' could not be listed: permission denied \(EACCES\); the files in it were not checked\.$/);
      expect(json.results.filter((f) => /does not exist|not found|no such file/i.test(f.message) && f.file?.startsWith('docs/governance'))).toEqual([]);
      expect((json.skipped ?? []).some((s) => s.because.some((b) => b.file === REGISTRY && b.state === 'unreadable'))).toBe(true);
    } finally {
      chmodSync(join(root, 'docs/governance'), 0o755);
    }
  });
});
