import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import check from '../../src/rules/startup-site-parity.js';
import { defaultPaths } from '../../src/layout.js';
import { checkTester } from '../support/checkTester.js';

const FILE = 'ops/bindings/startup.sequencing.yaml';
/** A phase entry; `site` undefined leaves the key out. */
const phase = (id: string | number, site?: string) => `  - phase: ${id}\n${site === undefined ? '' : `    site: ${site}\n`}    label: "stacks"\n`;
const seq = (version: string | undefined, ...phases: string[]) => `${version === undefined ? '' : `version: ${version}\n`}phases:\n${phases.join('')}`;

checkTester(check, {
  valid: [
    { name: 'v2, every phase tagged, both sites', files: { 'startup.sequencing': seq('2', phase(1, 'shop'), phase(2, 'shop'), phase(10, 'home')) } },
    { name: 'version as a quoted number', files: { 'startup.sequencing': seq('"3"', phase(1, 'shop'), phase(10, 'home')) } },
    { name: 'version 2.1 is v2+ (the bash arithmetic failed on it: no finding either)', files: { 'startup.sequencing': seq('2.1', phase(1, 'shop'), phase(10, 'home')) } },
  ],
  invalid: [
    {
      name: 'the file is absent (trees 01-07)',
      files: {},
      errors: [{ messageId: 'missingFile', data: { file: FILE }, file: FILE, line: 1, column: 1 }],
    },
    {
      name: 'a v1 file without site tags (trees 08-11): version, every phase, both sites',
      files: { 'startup.sequencing': seq('1', phase(1), phase(2), phase(3), phase(4)) },
      errors: [
        { messageId: 'versionTooLow', data: { version: '1' }, line: 1, column: 10 },
        { messageId: 'siteUnrepresented', data: { site: 'home' }, line: 3, column: 3 },
        { messageId: 'siteUnrepresented', data: { site: 'shop' }, line: 3, column: 3 },
        { messageId: 'missingSite', data: { phase: '1' }, line: 3, column: 5 },
        { messageId: 'missingSite', data: { phase: '2' }, line: 5, column: 5 },
        { messageId: 'missingSite', data: { phase: '3' }, line: 7, column: 5 },
        { messageId: 'missingSite', data: { phase: '4' }, line: 9, column: 5 },
      ],
    },
    {
      name: 'no version (yq prints null)',
      files: { 'startup.sequencing': seq(undefined, phase(1, 'shop'), phase(10, 'home')) },
      errors: [{ messageId: 'versionTooLow', data: { version: 'null' }, line: 1, column: 1 }],
    },
    {
      name: 'version 1.5 is below 2 (the bash arithmetic failed on it and passed)',
      files: { 'startup.sequencing': seq('1.5', phase(1, 'shop'), phase(10, 'home')) },
      errors: [{ messageId: 'versionTooLow', data: { version: '1.5' }, line: 1, column: 10 }],
    },
    {
      name: 'a version that is not a number',
      files: { 'startup.sequencing': seq('v2', phase(1, 'shop'), phase(10, 'home')) },
      errors: [{ messageId: 'versionNotNumber', data: { version: 'v2' }, line: 1, column: 10 }],
    },
    {
      name: 'no phases key',
      files: { 'startup.sequencing': 'version: 2\n' },
      errors: [{ messageId: 'noPhases', line: 1, column: 1 }],
    },
    {
      name: 'an empty phases list',
      files: { 'startup.sequencing': 'version: 2\nphases: []\n' },
      errors: [{ messageId: 'noPhases', line: 2, column: 9 }],
    },
    {
      name: 'phases written as a map: one finding (yq counted its keys and read null phases)',
      files: { 'startup.sequencing': 'version: 2\nphases:\n  shop: [1, 2]\n  home: [10]\n' },
      errors: [{ messageId: 'wrongShape', data: { file: FILE, path: 'phases', expected: 'a list of startup phases', actual: 'a map' }, line: 3, column: 3 }],
    },
    {
      name: 'a root that is a list',
      files: { 'startup.sequencing': '- phase: 1\n  site: shop\n' },
      errors: [{ messageId: 'wrongShape', data: { path: '(root)', expected: 'a map', actual: 'a list' }, line: 1, column: 1 }],
    },
    {
      name: 'invalid, null and empty sites; a phase without its number; an entry that is not a phase',
      files: { 'startup.sequencing': seq('2', phase(1, 'Shop'), phase(2, 'null'), phase(3, '""'), '  - site: shop\n', '  - home\n', phase(10, 'home')) },
      errors: [
        { messageId: 'invalidSite', data: { phase: '1', site: 'Shop' }, line: 4, column: 11 },
        { messageId: 'missingSite', data: { phase: '2' }, line: 7, column: 11 },
        { messageId: 'missingSite', data: { phase: '3' }, line: 10, column: 11 },
        { messageId: 'wrongShape', data: { path: 'phases[4]', expected: 'a map', actual: 'the string "home"' }, line: 13, column: 5 },
      ],
    },
    {
      name: 'a phase without site and one site unrepresented',
      files: { 'startup.sequencing': seq('3', phase(1, 'shop'), '  - label: "no number"\n') },
      errors: [
        { messageId: 'siteUnrepresented', data: { site: 'home' }, line: 3, column: 3 },
        { messageId: 'missingSite', data: { phase: 'null' }, line: 6, column: 5 },
      ],
    },
  ],
});

describe('startup-site-parity on an unparsable binding', () => {
  it('its parse finding only; the check does not run (the bash printed version=0 and "No phases found")', () => {
    const report = runCheckOnFiles(check, { files: { [FILE]: 'version: 2\nphases: [\n' }, paths: defaultPaths });
    expect(report.results.every((d) => d.checkId === 'parse')).toBe(true);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: FILE, state: 'unparsable' }] }]);
  });
});
