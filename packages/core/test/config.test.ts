import { describe, expect, it } from 'vitest';
import { parseConfig, UsageError } from '@spine-lint/core';

describe('parseConfig', () => {
  it('accepts a full config', () => {
    const config = parseConfig(
      [
        'paths:',
        '  ssh.targets: infra/ssh.yaml',
        'bindingDirs: [infra]',
        'checks:',
        '  D35: off',
        '  placement-policy: warn',
        '  relocation-phase-order: { severity: error, options: { strict: true } }',
        'limits: { maxFileBytes: 1000 }',
        'plugins: [./x.js]',
        'baseline: .spine-lint-baseline.json',
        'probes: { allow: [127.0.0.0/8] }',
        '',
      ].join('\n'),
      '.spine-lint.yaml',
    );
    expect(config.paths).toEqual({ 'ssh.targets': 'infra/ssh.yaml' });
    expect(config.checks).toEqual({ D35: { severity: 'off' }, 'placement-policy': { severity: 'warning' }, 'relocation-phase-order': { severity: 'error', options: { strict: true } } });
    expect(config.limits.maxFileBytes).toBe(1000);
  });

  it('keeps Object.prototype member names as plain keys (setup then reports an unknown check)', () => {
    const config = parseConfig('paths:\n  constructor: a.yaml\n  toString: b.yaml\nchecks:\n  constructor: off\n', '.spine-lint.yaml');
    expect(Object.keys(config.paths)).toEqual(['constructor', 'toString']);
    expect(Object.keys(config.checks)).toEqual(['constructor']);
  });

  const bad: [string, string][] = [
    ['chekcs:\n  D35: off\n', ".spine-lint.yaml:1:1: unknown config key 'chekcs' (allowed: paths, bindingDirs, checks, limits, plugins, baseline, probes)"],
    ['checks:\n  D35: loud\n', ".spine-lint.yaml:2:8: checks.D35: severity must be one of error, warning, off (got 'loud')"],
    ['limits:\n  maxFileBytes: -1\n', '.spine-lint.yaml:2:17: limits.maxFileBytes must be a positive integer'],
    ['paths: [a]\n', ".spine-lint.yaml:1:8: 'paths' must map binding names to file paths"],
    ['checks: {D35: off\n', '.spine-lint.yaml:2:1'],
    ['a: 1\na: 2\n', ".spine-lint.yaml:2:1: Duplicate key 'a'"],
    // `__proto__` would set the prototype of the parsed map instead of naming anything: refused, not ignored.
    ['checks:\n  __proto__: off\n', ".spine-lint.yaml:2:3: checks: no check has the id '__proto__'"],
    ['paths:\n  __proto__: x.yaml\n', ".spine-lint.yaml:2:3: paths: '__proto__' cannot be a binding name"],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)} with a positioned message`, () => {
      expect(() => parseConfig(text, '.spine-lint.yaml')).toThrow(UsageError);
      expect(() => parseConfig(text, '.spine-lint.yaml')).toThrow(message);
    });
  }
});
