import { defineCheck } from '@spine-lint/core';
import { gateTopology } from '../bindings/infra/gateTopology.js';
import { field } from '../bindings/infra/shape.js';
import { valueKind as kindOf } from '../bindings/infra/valueKind.js';
import { optScalar } from '../bindings/util.js';

/** The fields every domain must have, in the reference's order. */
const DOMAIN_FIELDS = ['domain_id', 'description', 'criticality', 'capability_prefixes', 'path_triggers', 'added_date'] as const;
/** The domain fields that must be non-empty lists. */
const LIST_FIELDS = ['capability_prefixes', 'path_triggers'] as const;
const CRITICALITIES: ReadonlySet<unknown> = new Set(['critical', 'standard']);

/** Missing as the reference's `X // ""` saw it: absent, null, `false` or the empty string (the text "null" is a value). */
const isMissing = (v: unknown): boolean => v === undefined || v === null || v === false || v === '';

/**
 * D134 topology-metadata-quality-lock (gates-tier2 spec): every `domain_metadata` entry of
 * gate.execution.topology.yaml has an id, a description, a criticality of critical/standard,
 * non-empty capability_prefixes and path_triggers lists and an added_date; every `gate_assignments`
 * row has a gate_id, a primary_domain and a family.
 */
export default defineCheck({
  id: 'gate-topology-metadata',
  aliases: ['D134'],
  title: 'Gate topology metadata quality',
  description:
    'In gate.execution.topology.yaml every domain_metadata entry has domain_id (unique), description, criticality (critical or standard), non-empty ' +
    'capability_prefixes and path_triggers lists and added_date; every gate_assignments row has gate_id, primary_domain and family.',
  severity: 'error',
  kind: 'static',
  reads: ['gate.execution.topology'],
  fixHint: 'Fill in the missing field of the domain_metadata entry or gate_assignments row (criticality critical or standard; prefixes and triggers as non-empty lists).',
  ports: 'surfaces/verify/d134-topology-metadata-quality-lock.sh',
  messages: {
    topologyNotFound: 'topology not found: {{file}}.',
    wrongShape: '{{file}}: {{path}} must be {{expected}}, not {{actual}}; the topology metadata is not checked until it is.',
    noDomains: 'no domain_metadata entries.',
    missingField: "{{label}}: missing required field '{{field}}'.",
    badCriticality: "{{label}}: criticality '{{value}}' not in {critical,standard}.",
    criticalityNotText: '{{label}}: criticality must be critical or standard, not {{actual}}.',
    emptyList: '{{label}}: {{field}} must be non-empty array.',
    notAList: '{{label}}: {{field}} must be non-empty array, not {{actual}}.',
    duplicateDomain: "{{label}}: domain_id '{{domain}}' is already defined by domain_metadata[{{first}}].",
    missingGateId: 'gate_assignments[{{index}}]: missing gate_id.',
    missingPrimary: 'gate_assignments[{{index}}] ({{gate}}): missing primary_domain.',
    missingFamily: 'gate_assignments[{{index}}] ({{gate}}): missing family.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    const T = 'gate.execution.topology';
    if (!ws.exists(T)) {
      ctx.report({ messageId: 'topologyNotFound', data: { file: ws.pathOf(T) }, file: T });
      return;
    }
    const topology = gateTopology(ws);
    // Unparsable or unreadable: the parse finding (and the runner's note) tells it.
    if (topology.status !== 'loaded') return;
    const shape = topology.shape.filter((p) => p.section === '' || p.section === 'domain_metadata' || p.section === 'gate_assignments');
    for (const p of shape) ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(p.file), path: p.path, expected: p.expected, actual: p.actual }, file: T, pointer: p.pointer });
    if (shape.length > 0) return;

    const domains = topology.domainMetadata;
    // The reference stops here; the assignments are still checked below.
    if (domains.items.length === 0) ctx.report({ messageId: 'noDomains', file: T, pointer: domains.present ? domains.pointer : '' });
    const firstById = new Map<string, number>();
    for (const d of domains.items) {
      const label = `domain_metadata[${d.index}]${d.domainId ? ` (${d.domainId})` : ''}`;
      const at = (key: string): string => (field(d.entry, key) === undefined ? d.pointer : `${d.pointer}/${key}`);
      for (const f of DOMAIN_FIELDS) if (isMissing(field(d.entry, f))) ctx.report({ messageId: 'missingField', data: { label, index: d.index, field: f }, file: T, pointer: at(f) });
      const criticality = field(d.entry, 'criticality');
      if (!isMissing(criticality) && !CRITICALITIES.has(criticality))
        ctx.report(
          optScalar(criticality) === undefined
            ? { messageId: 'criticalityNotText', data: { label, index: d.index, actual: kindOf(criticality) }, file: T, pointer: at('criticality') }
            : { messageId: 'badCriticality', data: { label, index: d.index, value: optScalar(criticality)! }, file: T, pointer: at('criticality') },
        );
      for (const f of LIST_FIELDS) {
        const v = field(d.entry, f);
        // Missing: the one finding above (the reference adds "must be non-empty array" to it).
        if (isMissing(v)) continue;
        if (!Array.isArray(v)) ctx.report({ messageId: 'notAList', data: { label, index: d.index, field: f, actual: kindOf(v) }, file: T, pointer: at(f) });
        else if (v.length === 0) ctx.report({ messageId: 'emptyList', data: { label, index: d.index, field: f }, file: T, pointer: at(f) });
      }
      if (d.domainId !== undefined && d.domainId !== '') {
        const first = firstById.get(d.domainId);
        if (first === undefined) firstById.set(d.domainId, d.index);
        else ctx.report({ messageId: 'duplicateDomain', data: { label, index: d.index, domain: d.domainId, first }, file: T, pointer: at('domain_id') });
      }
    }

    for (const a of topology.gateAssignments.items) {
      const at = (key: string): string => (field(a.entry, key) === undefined ? a.pointer : `${a.pointer}/${key}`);
      const gateId = field(a.entry, 'gate_id');
      const gate = isMissing(gateId) ? '' : (optScalar(gateId) ?? kindOf(gateId));
      if (isMissing(gateId)) ctx.report({ messageId: 'missingGateId', data: { index: a.index }, file: T, pointer: at('gate_id') });
      if (isMissing(field(a.entry, 'primary_domain'))) ctx.report({ messageId: 'missingPrimary', data: { index: a.index, gate }, file: T, pointer: at('primary_domain') });
      if (isMissing(field(a.entry, 'family'))) ctx.report({ messageId: 'missingFamily', data: { index: a.index, gate }, file: T, pointer: at('family') });
    }
  },
});
