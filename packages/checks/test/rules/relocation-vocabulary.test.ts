import check from '../../src/rules/relocation-vocabulary.js';
import { checkTester } from '../support/checkTester.js';

const plan = (state: string, vm = 'ready', svc = 'applied'): string =>
  ['active_relocation:', `  state: ${state}`, 'vm_targets:', '  - hostname: observability', `    status: ${vm}`, 'services:', '  - service: grafana', `    status: ${svc}`, ''].join('\n');

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'null relocation', files: { 'infra.relocation.plan': 'active_relocation: null\n' } },
    ...['planning', 'preflight', 'cutover', 'cleanup', 'complete'].map((s) => ({ name: `state ${s}`, files: { 'infra.relocation.plan': plan(s) } })),
    { name: 'every service status', files: { 'infra.relocation.plan': plan('cutover', 'provisioned', 'rolled-back') } },
    { name: 'absent statuses are not vocabulary errors', files: { 'infra.relocation.plan': 'active_relocation: {state: cutover}\nservices:\n  - service: a\n' } },
  ],
  invalid: [
    {
      name: 'a capitalised state (D35 would silently pass it)',
      files: { 'infra.relocation.plan': plan('Cutover') },
      errors: [{ messageId: 'unknownState', data: { value: 'Cutover', suggestion: " Did you mean 'cutover'?" }, line: 2, column: 10, endColumn: 17 }],
    },
    {
      name: 'unknown VM and service statuses',
      files: { 'infra.relocation.plan': plan('cutover', 'running', 'rolled_back') },
      errors: [
        { messageId: 'unknownVmStatus', data: { target: 'observability', value: 'running', suggestion: '' }, line: 5, column: 13 },
        { messageId: 'unknownServiceStatus', data: { service: 'grafana', value: 'rolled_back', suggestion: " Did you mean 'rolled-back'?" }, line: 8, column: 13, endColumn: 24 },
      ],
    },
    {
      name: 'migrated is accepted with a warning naming applied',
      files: { 'infra.relocation.plan': plan('complete', 'ready', 'migrated') },
      errors: [{ messageId: 'legacyMigrated', severity: 'warning', data: { service: 'grafana' }, line: 8, column: 13 }],
    },
    {
      name: 'active relocation without a state',
      files: { 'infra.relocation.plan': 'active_relocation:\n  change_id: LOOP-X\n' },
      errors: [{ messageId: 'missingState', line: 2, column: 3 }],
    },
  ],
});
