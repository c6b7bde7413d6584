import { describe, expect, it } from 'vitest';
import check, { globProblem } from '../../src/rules/backup-inventory-integrity.js';
import { checkTester } from '../support/checkTester.js';

const ssh = 'ssh:\n  targets:\n    - id: pve\n    - id: nas\n';
const target = (name: string, extra: Record<string, string> = {}) => {
  const f = { host: 'pve', base_path: '/tank/backups/vzdump/dump', glob: `vzdump-qemu-${name.slice(3, 6)}-*.vma.zst`, stale_after_hours: '26', ...extra };
  return `  - name: ${name}\n    enabled: true\n    kind: file_glob\n${Object.entries(f)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('')}`;
};
const inventory = (targets: string, units = '      - vm-205-primary\n', defaults = '26') => `version: 1
defaults:
  stale_after_hours: ${defaults}
runtime_units:
  - unit_id: machine-pve
    kind: machine
    hostname: pve
    inventory_targets:
${units}targets:
${targets}`;

checkTester(check, {
  valid: [
    {
      name: 'references resolve, hosts are ssh ids, globs well-formed',
      files: {
        'ssh.targets': ssh,
        'backup.inventory': inventory(target('vm-205-primary') + target('vm-206-primary', { glob: '"*/manifest.txt"' }), '      - vm-205-primary\n      - vm-206-primary\n'),
      },
    },
    { name: 'without ssh.targets the host is not judged', files: { 'backup.inventory': inventory(target('vm-205-primary', { host: 'unknown' })) } },
    { name: 'bracket and brace globs', files: { 'ssh.targets': ssh, 'backup.inventory': inventory(target('vm-205-primary', { glob: '"vzdump-{qemu,lxc}-20[0-9]-*.zst"' })) } },
  ],
  invalid: [
    {
      name: 'inventory target that does not exist (and a non-string item)',
      files: { 'ssh.targets': ssh, 'backup.inventory': inventory(target('vm-205-primary'), '      - vm-205-primary\n      - vm-215-primary\n      - 42\n') },
      errors: [
        { messageId: 'unknownInventoryTarget', data: { unit: 'machine-pve', target: 'vm-215-primary' }, line: 10, column: 9, endColumn: 23 },
        { messageId: 'unknownInventoryTarget', data: { unit: 'machine-pve', target: '42' }, line: 11, column: 9 },
      ],
    },
    {
      name: 'unknown host, non-positive stale_after_hours (target and defaults), duplicate name',
      files: {
        'ssh.targets': ssh,
        'backup.inventory': inventory(target('vm-205-primary', { host: 'media-stack', stale_after_hours: '0' }) + target('vm-205-primary', { stale_after_hours: 'soon' }), undefined, '-1'),
      },
      errors: [
        { messageId: 'badStaleAfterHours', data: { subject: 'defaults', value: '-1' }, line: 3, column: 22 },
        { messageId: 'unknownHost', data: { target: 'vm-205-primary', host: 'media-stack' }, line: 14, column: 11 },
        { messageId: 'badStaleAfterHours', data: { target: 'vm-205-primary', value: '0' }, line: 17, column: 24 },
        { messageId: 'duplicateTarget', data: { target: 'vm-205-primary', first: 0 }, line: 18, column: 11 },
        { messageId: 'badStaleAfterHours', data: { target: 'vm-205-primary', value: 'soon' }, line: 24, column: 24 },
      ],
    },
    {
      name: 'relative base_path; glob with a space, an unclosed bracket, an absolute glob',
      files: {
        'ssh.targets': ssh,
        'backup.inventory': inventory(
          target('vm-205-primary', { base_path: 'backups/dump', glob: '"vzdump qemu-*.zst"' }) +
            target('vm-206-primary', { glob: 'vzdump-qemu-20[0-9-*.zst' }) +
            target('vm-207-primary', { glob: '/etc/*' }),
        ),
      },
      errors: [
        { messageId: 'badBasePath', data: { target: 'vm-205-primary', path: 'backups/dump' }, line: 15, column: 16 },
        { messageId: 'malformedGlob', data: { target: 'vm-205-primary', reason: 'contains whitespace (the remote shell splits it into several words)' }, line: 16, column: 11 },
        { messageId: 'malformedGlob', data: { target: 'vm-206-primary', reason: "has a '[' that is never closed" }, line: 23, column: 11 },
        { messageId: 'malformedGlob', data: { target: 'vm-207-primary', reason: 'is absolute (it is relative to base_path)' }, line: 30, column: 11 },
      ],
    },
  ],
});

describe('globProblem', () => {
  it.each([
    ['vzdump-qemu-205-*.vma.zst', undefined],
    ['*/manifest.txt', undefined],
    ['[]x]*', undefined],
    ['[!]]*', undefined],
    ['a\\[b', undefined],
    ['', 'is empty'],
    ['../etc/*', "has a '..' segment (it must stay under base_path)"],
    ['{a,b', "has a '{' that is never closed"],
    ['a}b', "has a '}' without '{'"],
  ])('%s', (glob, expected) => expect(globProblem(glob)).toBe(expected));
});
