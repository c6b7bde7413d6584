import { describe, expect, test } from 'vitest';
import { escapeTerminal, reporters, stylishReporter } from '@spine-lint/core';
import { ctx, expectGolden, sampleReport } from './support.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
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
    expect(stripAnsi(out).split('\n').filter((l) => l.includes('injected'))).toHaveLength(1);
  });

  test('paths are shown with the root prefix; quiet shows errors only', () => {
    const out = stylishReporter(sampleReport(), ctx({ rootPrefix: 'infra/', quiet: true }));
    expect(out).toContain('\ninfra/services.yaml\n');
    expect(out).not.toContain('REGISTRY.md');
    expect(out).not.toMatch(/warning {2}/);
    expect(out).toContain('✖ 3 problems (3 errors, 0 warnings)');
  });

  test('escapeTerminal', () => {
    expect(escapeTerminal('a\u001b[2Jb\r\nc\u0000\u009b\u202e\ud800')).toBe('a\\x1b[2Jb\\x0d\\nc\\x00\\x9b\\u202e\\ud800');
    expect(escapeTerminal('tab\tok 🚀')).toBe('tab\tok 🚀');
  });
});
