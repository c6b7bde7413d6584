import { describe, expect, test } from 'vitest';
import { escapeTerminal, reporters, stylishReporter } from '@spine-lint/core';
import { ctx, expectGolden, groupedReport, sampleReport } from './support.js';

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('stylish reporter', () => {
  test('is the default format', () => {
    expect(reporters.stylish).toBe(stylishReporter);
  });

  test('golden output without colour', () => {
    expectGolden('stylish.txt', stylishReporter(sampleReport(), ctx()));
  });

  test('golden output with colour', () => {
    expectGolden('stylish-color.txt', stylishReporter(sampleReport(), ctx({ color: true })));
  });

  test('colour only when asked: no escape sequence at all without ctx.color', () => {
    const plain = stylishReporter(sampleReport(), ctx());
    expect(plain).not.toContain('\u001b');
    expect(RAW_CONTROL.test(plain)).toBe(false);
    const coloured = stylishReporter(sampleReport(), ctx({ color: true }));
    expect(coloured).toContain('\u001b[31m');
    // Colour is the only difference.
    expect(stripAnsi(coloured)).toBe(plain);
  });

  test('ANSI escapes, CR and LF inside messages are shown escaped, never interpreted', () => {
    const out = stylishReporter(sampleReport('\u001b[31mred\u001b[0m\rover\u0007'), ctx({ color: true }));
    // The only ESC bytes are our own SGR sequences: stripping them leaves no control character.
    expect(RAW_CONTROL.test(stripAnsi(out))).toBe(false);
    expect(out).toContain('run-level note: \\x1b[31mred\\x1b[0m\\x0dover\\x07');
    expect(out).toContain("service 'evil%0A::error::x,y:z\\x1b[31m\\x0d\\n::warning file=a::injected' has no host");
    // One finding stays on one line.
    expect(
      stripAnsi(out)
        .split('\n')
        .filter((l) => l.includes('injected')),
    ).toHaveLength(1);
  });

  test('paths are named from the root, whatever the working directory; quiet shows errors only', () => {
    const out = stylishReporter(sampleReport(), ctx({ rootPrefix: 'infra/', quiet: true }));
    expect(out).toMatch(/^services\.yaml\n/m);
    expect(out).not.toContain('infra/');
    expect(out).not.toContain('REGISTRY.md');
    expect(out).not.toMatch(/warning {2}/);
    expect(out).toContain('✖ 3 problems (3 errors, 0 warnings)');
  });

  test('findings of several checks on the same value are shown once, naming every check (golden)', () => {
    const out = stylishReporter(groupedReport(), ctx());
    expectGolden('stylish-grouped.txt', out);
    const lines = out.split('\n');
    // One location line for grafana's host, the most severe finding first; one `also` line per other check.
    expect(lines.filter((l) => /^\s+3:11\s/.test(l))).toEqual(["  3:11   error    service 'grafana' registry host 'docker-host' != manifest 'observability'  host-parity (D97)"]);
    const at = lines.findIndex((l) => /^\s+3:11\s/.test(l));
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "                  also host-placement (D96, placement): placement: host 'docker-host' is draining",
      "                  also host-style [warning]: host 'docker-host' has no site suffix",
    ]);
    // The suppressed finding stays out of its group (loki: host-parity alone), and is counted as before.
    expect(lines.filter((l) => l.includes("'old_host'"))).toHaveLength(1);
    // Counts stay those of the results (as JSON), plus where they are.
    expect(out).toContain('✖ 7 problems (3 errors, 4 warnings) at 4 locations — 1 suppressed\n');
    // Colour changes nothing else.
    expect(stripAnsi(stylishReporter(groupedReport(), ctx({ color: true })))).toBe(out);
  });

  test('no location suffix when no two findings share a location; quiet drops warnings from groups', () => {
    expect(stylishReporter(sampleReport(), ctx())).toContain('✖ 5 problems (3 errors, 2 warnings)\n');
    const quiet = stylishReporter(groupedReport(), ctx({ quiet: true }));
    expect(quiet).not.toContain('host-style');
    expect(quiet).toContain('also host-placement (D96, placement): ');
    expect(quiet).toContain('✖ 3 problems (3 errors, 0 warnings) at 2 locations — 1 suppressed\n');
  });

  test('escapeTerminal', () => {
    expect(escapeTerminal('a\u001b[2Jb\r\nc\u0000\u009b\u202e\ud800')).toBe('a\\x1b[2Jb\\x0d\\nc\\x00\\x9b\\u202e\\ud800');
    expect(escapeTerminal('tab\tok 🚀')).toBe('tab\tok 🚀');
  });
});
