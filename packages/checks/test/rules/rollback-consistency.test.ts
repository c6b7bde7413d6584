import check from '../../src/rules/rollback-consistency.js';
import { checkTester } from '../support/checkTester.js';

const plan = (state: string, status: string, rollbackTo: string, toHost = 'infra-core'): string =>
  ['active_relocation:', `  state: ${state}`, 'services:', '  - service: vaultwarden', `    to_host: ${toHost}`, `    rollback_to: ${rollbackTo}`, `    status: ${status}`, ''].join('\n');

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'rolled-back outside the D35 states', files: { 'infra.relocation.plan': plan('complete', 'rolled-back', 'proxmox-home') } },
    { name: 'rolled-back with rollback_to = to_host', files: { 'infra.relocation.plan': plan('cutover', 'rolled-back', 'infra-core') } },
    { name: 'cutover with a rollback target', files: { 'infra.relocation.plan': plan('cutover', 'cutover', 'proxmox-home') } },
    { name: 'applied without rollback target (no rollback edge from applied)', files: { 'infra.relocation.plan': plan('cutover', 'applied', 'null') } },
  ],
  invalid: [
    {
      name: 'rolled-back during cutover: D35 and D37 contradict',
      files: { 'infra.relocation.plan': plan('cutover', 'rolled-back', 'proxmox-home') },
      errors: [{ messageId: 'unsatisfiable', severity: 'error', data: { service: 'vaultwarden', toHost: 'infra-core', rollbackTo: 'proxmox-home', state: 'cutover' }, line: 7, column: 13, endColumn: 24 }],
    },
    {
      name: 'cutover without rollback_to is a warning at rollback_to',
      files: { 'infra.relocation.plan': plan('cutover', 'cutover', 'null') },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning', data: { service: 'vaultwarden', status: 'cutover' }, line: 6, column: 18 }],
    },
    {
      name: 'migrated with rollback_to absent',
      files: { 'infra.relocation.plan': 'services:\n  - service: pihole\n    to_host: infra-core\n    status: migrated\n' },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning', line: 2, column: 5 }],
    },
  ],
});
