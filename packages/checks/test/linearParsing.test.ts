/**
 * Linear-time parsing of the line-oriented constructs the checks read themselves (hostile input):
 * `# Status:` / `# Last verified:` comment headers (binding-headers), `key: value` header lines
 * (ssot-freshness), `expect:` code lists (services.health) and the `find -printf` line of
 * backup-freshness. Each was a backtracking regular expression over the whole line; each is now a
 * scan, checked here against the old expression (same answers) and against the clock (< MS_PER_KB
 * per kB on a 200 kB hostile line; the old expressions took 28 s on a 150 kB header line).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySource, Workspace } from '@spine-lint/core';
import { headerValue } from '../src/bindings/drift/freshness.js';
import { servicesHealth } from '../src/bindings/servicesHealth.js';
import { defaultPaths } from '../src/layout.js';
import { newestEntry } from '../src/rules/backup-freshness.js';
import bindingHeaders, { matchCommentHeader } from '../src/rules/binding-headers.js';
import { runCase } from './support/checkTester.js';

const MS_PER_KB = 2;
const LINE = 200_000;
const now = new Date('2026-03-06T10:51:47Z');

function msPerKb(kb: number, run: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best / kb >= MS_PER_KB / 4; attempt++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best / kb;
}

const FILLERS = [' ', '\t', '|', '#', '`', '*', '-', ':', ',', '0', ' #', '# ', ' :', ': ', ' ,', ', ', '0 ', ' 0', '\u00a0'];
const run = (filler: string, length = LINE): string => filler.repeat(Math.ceil(length / filler.length)).slice(0, length);

const LABELS = ['Status', 'authority_state', 'Last verified'];
const oldCommentHeader = (line: string, label: string) => {
  const m = new RegExp(`^(\\s*#\\s*${label.replace(/ /g, '\\s+')}\\s*:\\s*)(.*?)\\s*$`, 'i').exec(line);
  return m ? { prefix: m[1]!.length, value: m[2]! } : undefined;
};
const oldHeaderValue = (line: string, key: string) => new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s*(.+?)\\s*$`).exec(line)?.[1];
const oldNewestEntry = (line: string) => {
  const m = /^(\d+)(?:\.\d+)?\s+(.+)$/.exec(line);
  return m ? { epoch: m[1]!, path: m[2]! } : undefined;
};
const OLD_EXPECT = /^\s*\d{3}(\s*,\s*\d{3})*\s*$/;

const workspace = (files: Record<string, string>): Workspace =>
  new Workspace(new MemorySource(Object.fromEntries(Object.entries(files).map(([k, v]) => [(defaultPaths as Record<string, string>)[k] ?? k, v]))), { paths: defaultPaths });
const expectOf = (value: string) => servicesHealth(workspace({ 'services.health': `endpoints:\n  - id: a\n    expect: ${JSON.stringify(value)}\n` })).endpoints[0]!.expect;

/** Each position, as a line around a hostile run `r` (then `x`), and the parse. */
const POSITIONS: { name: string; line: (r: string) => string; parse: (line: string) => unknown }[] = [
  { name: '# Status: comment header', line: (r) => `# Status: a${r}x`, parse: (l) => matchCommentHeader(l, 'Status') },
  { name: '# Status: comment header, spaces before the colon', line: (r) => `#${r}Status${r}x`, parse: (l) => matchCommentHeader(l, 'Status') },
  { name: '# Last verified: comment header', line: (r) => `# Last${r}verified:${r}x`, parse: (l) => matchCommentHeader(l, 'Last verified') },
  { name: 'last_verified: header line', line: (r) => `last_verified: a${r}x`, parse: (l) => headerValue(l, 'last_verified') },
  { name: 'find -printf line', line: (r) => `1700000000.5 ${r}\u2028x`, parse: newestEntry },
  { name: 'expect: code list', line: (r) => `200${r}x`, parse: expectOf },
];

describe('check-side line parsers are linear time on hostile lines', () => {
  it('the three reported reproductions: a binding\'s first line "# Status: a" + 150 000 spaces + "x" parses in linear time', () => {
    const value = `a${' '.repeat(150_000)}x`;
    const files = { 'ssh.targets': `# Status: ${value}\n# Last verified: 2026-03-05\nssh: {}\n` };
    let found: ReturnType<typeof runCase> = [];
    expect(msPerKb(files['ssh.targets'].length / 1024, () => (found = runCase(bindingHeaders, { name: 'hostile', now, files })))).toBeLessThan(MS_PER_KB);
    expect(found.map((d) => ({ messageId: d.messageId, status: d.data.status, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn }))).toEqual([
      { messageId: 'invalidStatus', status: value, line: 1, column: 11, endLine: 1, endColumn: 11 + value.length },
    ]);
  });

  for (const position of POSITIONS) {
    it(`${position.name}: a 200 kB run of each filler then 'x' costs < ${MS_PER_KB} ms/kB`, () => {
      for (const filler of FILLERS) {
        const line = position.line(run(filler));
        expect(
          msPerKb(line.length / 1024, () => position.parse(line)),
          `${position.name}, filler ${JSON.stringify(filler)}`,
        ).toBeLessThan(MS_PER_KB);
      }
    });
  }

  it(`binding-headers over a whole workspace: every header line of 200 kB hostile runs costs < ${MS_PER_KB} ms/kB`, () => {
    for (const filler of FILLERS) {
      const r = run(filler);
      const files = { 'ssh.targets': `# Status: a${r}x\n# authority_state:${r}x\n# Last verified: 2026${r}x\nssh: {}\n`, DEVICE_IDENTITY: `# Status: a${r}x\n` };
      const kb = (files['ssh.targets'].length + files.DEVICE_IDENTITY.length) / 1024;
      expect(
        msPerKb(kb, () => runCase(bindingHeaders, { name: 'hostile', now, files })),
        JSON.stringify(filler),
      ).toBeLessThan(MS_PER_KB);
    }
  });
});

const ODD = ['\u2028', '\u2029', '\r', '\u00a0', '\ufeff', '\v'];
const lineOf = (pieces: string[], maxLength = 12) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(''));

describe('the scans answer exactly what the old expressions did', () => {
  it('comment headers: as ^(\\s*#\\s*<label>\\s*:\\s*)(.*?)\\s*$ (case-insensitive), for each label', () => {
    const pieces = [
      '#',
      ' ',
      '\t',
      ':',
      'Status',
      'STATUS',
      'status',
      'ſtatus',
      'authority_state',
      'Authority_State',
      'authority state',
      'Last',
      'verified',
      'Last verified',
      'last  VERIFIED',
      'K',
      '\u212a',
      'a',
      ...ODD,
    ];
    fc.assert(
      fc.property(lineOf(pieces), fc.constantFrom(...LABELS), (line, label) => {
        expect(matchCommentHeader(line, label)).toEqual(oldCommentHeader(line, label));
      }),
      { numRuns: 5000 },
    );
  });

  it('header lines: as ^<key>:\\s*(.+?)\\s*$', () => {
    fc.assert(
      fc.property(lineOf(['last_reviewed', 'last_verified', ':', ' ', '\t', 'a', '"', "'", ...ODD]), fc.constantFrom('last_reviewed', 'last_verified'), (line, key) => {
        expect(headerValue(line, key)).toBe(oldHeaderValue(line, key));
      }),
      { numRuns: 5000 },
    );
  });

  it('find -printf lines: as ^(\\d+)(?:\\.\\d+)?\\s+(.+)$', () => {
    fc.assert(
      fc.property(lineOf(['1', '17', '.', '.5', ' ', '\t', 'a', '/b c', ...ODD]), (line) => {
        expect(newestEntry(line)).toEqual(oldNewestEntry(line));
      }),
      { numRuns: 5000 },
    );
  });

  it('expect: code lists: as ^\\s*\\d{3}(\\s*,\\s*\\d{3})*\\s*$', () => {
    fc.assert(
      fc.property(lineOf(['200', '30', '1', ',', ' ', '\t', 'x', '\u00a0', '\u3000']), (value) => {
        expect(expectOf(value)).toEqual(OLD_EXPECT.test(value) ? value.split(',').map((x) => Number(x.trim())) : undefined);
      }),
      { numRuns: 1000 },
    );
  });
});
