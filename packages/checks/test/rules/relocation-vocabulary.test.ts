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
    // A finished relocation is history: its migrated services get no rename warning (09-877dc938 had 29).
    { name: 'state complete: migrated services are not reported', files: { 'infra.relocation.plan': plan('complete', 'ready', 'migrated') } },
    ...['null', 'none'].map((state) => ({
      name: `active_relocation ${state} (archived): migrated services are not reported`,
      files: { 'infra.relocation.plan': `active_relocation: ${state}\nservices:\n  - service: prowlarr\n    status: migrated\n  - service: radarr\n    status: migrated\n` },
    })),
    { name: 'no active_relocation key: migrated services are not reported', files: { 'infra.relocation.plan': 'services:\n  - service: prowlarr\n    status: migrated\n' } },
  ],
  invalid: [
    {
      name: 'a capitalised state (D35 would silently pass it)',
      files: { 'infra.relocation.plan': plan('Cutover') },
      errors: [{ messageId: 'unknownState', data: { value: 'Cutover', suggestion: " Did you mean 'cutover'?" }, line: 2, column: 10, endColumn: 17 }],
      output: { 'infra.relocation.plan': plan('cutover') },
    },
    {
      name: 'the fix keeps comments and quoting around the value',
      files: { 'infra.relocation.plan': '# manifest\nactive_relocation:\n  state: \'Cutover\'   # since 02-14\nservices:\n  - service: grafana\n    status: "migrated"  # legacy\n' },
      errors: [
        { messageId: 'unknownState', line: 3, column: 10, endColumn: 19 },
        { messageId: 'legacyMigrated', line: 6, column: 13, endColumn: 23 },
      ],
      output: { 'infra.relocation.plan': '# manifest\nactive_relocation:\n  state: \'cutover\'   # since 02-14\nservices:\n  - service: grafana\n    status: "applied"  # legacy\n' },
    },
    {
      name: 'unknown VM and service statuses',
      files: { 'infra.relocation.plan': plan('cutover', 'running', 'rolled_back') },
      errors: [
        { messageId: 'unknownVmStatus', data: { target: 'observability', value: 'running', suggestion: '' }, line: 5, column: 13 },
        { messageId: 'unknownServiceStatus', data: { service: 'grafana', value: 'rolled_back', suggestion: " Did you mean 'rolled-back'?" }, line: 8, column: 13, endColumn: 24 },
      ],
      // 'running' has no known spelling: no fix; rolled_back is renamed.
      output: { 'infra.relocation.plan': plan('cutover', 'running', 'rolled-back') },
    },
    ...['planning', 'preflight', 'cutover', 'cleanup'].map((state) => ({
      name: `migrated is accepted with a warning naming applied while the relocation is not finished (${state})`,
      files: { 'infra.relocation.plan': plan(state, 'ready', 'migrated') },
      errors: [{ messageId: 'legacyMigrated', severity: 'warning' as const, data: { service: 'grafana' }, line: 8, column: 13 }],
      output: { 'infra.relocation.plan': plan(state, 'ready', 'applied') },
    })),
    {
      name: 'an unknown status stays an error in a finished relocation (D37 still reads statuses in every state)',
      files: { 'infra.relocation.plan': plan('complete', 'ready', 'Applied') },
      errors: [{ messageId: 'unknownServiceStatus', data: { service: 'grafana', value: 'Applied', suggestion: " Did you mean 'applied'?" }, line: 8, column: 13 }],
      output: { 'infra.relocation.plan': plan('complete', 'ready', 'applied') },
    },
    {
      name: 'active relocation without a state',
      files: { 'infra.relocation.plan': 'active_relocation:\n  change_id: LOOP-X\n' },
      errors: [{ messageId: 'missingState', line: 2, column: 3 }],
    },
  ],
});
