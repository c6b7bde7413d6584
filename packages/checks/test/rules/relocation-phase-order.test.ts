import check from '../../src/rules/relocation-phase-order.js';
import { checkTester } from '../support/checkTester.js';

const svc = (name: string, phase: number, status: string): string => `  - service: ${name}\n    phase: ${phase}\n    status: ${status}\n`;
const plan = (...items: string[]): string => 'services:\n' + items.join('');

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'earlier phases applied/migrated', files: { 'infra.relocation.plan': plan(svc('pihole', 1, 'applied'), svc('vaultwarden', 2, 'migrated'), svc('grafana', 4, 'cutover')) } },
    { name: 'later phases still planned', files: { 'infra.relocation.plan': plan(svc('pihole', 1, 'cutover'), svc('grafana', 4, 'planned')) } },
    { name: 'same phase in parallel', files: { 'infra.relocation.plan': plan(svc('prometheus', 4, 'shadow'), svc('grafana', 4, 'cutover')) } },
  ],
  invalid: [
    {
      name: 'Phase 4 started while Phase 2 vaultwarden is at cutover',
      files: { 'infra.relocation.plan': plan(svc('pihole', 1, 'applied'), svc('vaultwarden', 2, 'cutover'), svc('grafana', 4, 'shadow')) },
      errors: [
        {
          messageId: 'earlierPhaseOpen',
          severity: 'warning',
          data: { service: 'grafana', phase: 4, blocking: 'vaultwarden', blockingPhase: 2, blockingStatus: 'cutover' },
          line: 10,
          column: 13,
          endColumn: 19,
        },
      ],
    },
    {
      name: 'rolled-back earlier service blocks too; first blocker is the lowest phase',
      files: { 'infra.relocation.plan': plan(svc('b', 2, 'rolled-back'), svc('a', 1, 'planned'), svc('c', 3, 'migrated')) },
      errors: [
        { messageId: 'earlierPhaseOpen', data: { service: 'b', blocking: 'a', blockingPhase: 1 }, line: 4, column: 13 },
        { messageId: 'earlierPhaseOpen', data: { service: 'c', blocking: 'a', blockers: ['a', 'b'] }, line: 10, column: 13 },
      ],
    },
  ],
});
