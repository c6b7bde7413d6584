import { defineCheck } from '@spine-lint/core';
import { requireFiles } from '../bindings/drift/common.js';
import { gateAgentProfiles, gateDomainProfiles } from '../bindings/infra/gateProfiles.js';
import { gateRegistry } from '../bindings/infra/gateRegistry.js';
import { gateTopology, type TopologyAssignment } from '../bindings/infra/gateTopology.js';
import { field } from '../bindings/infra/shape.js';
import { valueKind as kindOf } from '../bindings/infra/valueKind.js';
import { optScalar } from '../bindings/util.js';

const INPUTS = ['gate.registry', 'gate.execution.topology', 'gate.domain.profiles', 'gate.agent.profiles'] as const;

/** The three `validation_rules` flags, in the reference's order. */
const FLAGS = ['require_primary_domain_for_all_active_gates', 'reject_undefined_domain_refs', 'require_release_sequence_coverage'] as const;
type Flag = (typeof FLAGS)[number];

/** Empty as the reference's `X // ""` saw it: absent, null, `false` or the empty string (the text "null" is a value here). */
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === false || v === '';

/**
 * D127 domain-assignment-drift-lock (gates-tier2 spec): gate.execution.topology assigns every active
 * gate of gate.registry to exactly one defined primary domain, every domain reference (assignments,
 * domain profiles, agent profiles, release sequence) names a domain of `domain_metadata`, the core
 * set matches its declared size and consists of active, assigned gates, and the release sequence
 * covers every domain. The reference stops at its first failure; this check reports every finding.
 */
export default defineCheck({
  id: 'gate-domain-assignment',
  aliases: ['D127'],
  title: 'Gate domain assignment',
  description:
    'Every active gate of gate.registry has exactly one gate.execution.topology assignment whose primary and secondary domains are defined in ' +
    'domain_metadata; core_mode.core_gate_ids has core_count_limit entries, all active and assigned; every domain named by gate.domain.profiles, ' +
    'gate.agent.profiles and release_sequence is defined; release_sequence covers every domain. validation_rules flags switch the rules off.',
  severity: 'error',
  kind: 'static',
  reads: [...INPUTS],
  fixHint: 'Assign the gate in gate.execution.topology gate_assignments (one row, a primary_domain from domain_metadata), or define the domain in domain_metadata and add it to release_sequence.',
  ports: 'surfaces/verify/d127-domain-assignment-drift-lock.sh',
  messages: {
    missingFile: 'missing required file: {{file}}.',
    wrongShape: '{{file}}: {{path}} must be {{expected}}, not {{actual}}; the domain assignment is not checked until it is.',
    missingCoreLimit: 'missing core_mode.core_count_limit.',
    badCoreLimit: 'core_mode.core_count_limit must be an integer, not {{actual}}; the core gate count is not compared.',
    emptyCoreIds: 'core_mode.core_gate_ids is empty.',
    coreCountMismatch: 'core gate count mismatch: expected {{expected}} got {{actual}}.',
    duplicateCoreGate: "core gate '{{gate}}' is listed more than once in core_mode.core_gate_ids (first at core_gate_ids[{{first}}]).",
    emptyDomains: 'domain_metadata is empty.',
    noDomainIds: 'domain_metadata has no entry with a domain_id; domain references are not checked.',
    noActiveGates: 'no active gates found in registry.',
    duplicateGate: "gate '{{gate}}' is listed more than once in gate.registry gates (first at gates[{{first}}]).",
    retiredNotBoolean: "gate '{{gate}}' retired must be true or false, not {{actual}}; the gate is read as {{state}}.",
    flagNotBoolean: 'validation_rules.{{flag}} must be true or false, not {{actual}}; the rule is read as {{state}}.',
    emptyPrimary: 'gate {{gate}} has empty primary_domain.',
    undefinedPrimary: "gate {{gate}} primary_domain '{{domain}}' is undefined.",
    undefinedSecondary: "gate {{gate}} secondary_domain '{{domain}}' is undefined.",
    emptyAssignments: 'topology.gate_assignments is empty.',
    noAssignmentIds: 'topology.gate_assignments has no row with a gate_id; assignments are not checked.',
    missingAssignment: "active gate '{{gate}}' missing assignment in topology.",
    multipleAssignments: "active gate '{{gate}}' assigned multiple times in topology (count={{count}}).",
    coreInactive: "core gate '{{gate}}' is retired or missing.",
    coreUnassigned: "core gate '{{gate}}' has no assignment.",
    undefinedReference: "domain reference '{{domain}}' is undefined in topology.domain_metadata.",
    emptyRelease: 'release_sequence is empty.',
    releaseMissing: "release_sequence missing domain '{{domain}}'.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    // Every missing input is a finding of its own (the reference stops at the first); nothing else is checked without all four.
    if (!requireFiles(ctx, 'missingFile', INPUTS, false)) return;
    const registry = gateRegistry(ws);
    const topology = gateTopology(ws);
    const domainProfiles = gateDomainProfiles(ws);
    const agentProfiles = gateAgentProfiles(ws);
    // Unparsable or unreadable: the parse finding (and the runner's note) tells it; nothing is claimed about the contents.
    if ([registry, topology, domainProfiles, agentProfiles].some((v) => v.status !== 'loaded')) return;
    const shape = [...registry.shape, ...topology.shape, ...domainProfiles.shape, ...agentProfiles.shape];
    for (const p of shape) ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(p.file), path: p.path, expected: p.expected, actual: p.actual }, file: p.file, pointer: p.pointer });
    if (shape.length > 0) return;
    const T = topology.file;

    // Rule flags: absent/null means on, a boolean is itself (false switches the rule off, unlike the
    // reference's `// true`), any other value is read as the reference does (on only for the text "true").
    const rules = topology.validationRules;
    const flag = (name: Flag): boolean => {
      const raw = field(rules.value, name);
      if (raw === undefined || raw === null) return true;
      if (typeof raw === 'boolean') return raw;
      const on = optScalar(raw) === 'true';
      ctx.report({ messageId: 'flagNotBoolean', data: { flag: name, actual: kindOf(raw), state: on ? 'enabled' : 'disabled' }, file: T, pointer: `${rules.pointer}/${name}` });
      return on;
    };
    const [requirePrimary, rejectUndefined, requireRelease] = FLAGS.map(flag) as [boolean, boolean, boolean];

    // Core mode: the declared size and the list.
    const core = topology.coreMode;
    const limitRaw = field(core.value, 'core_count_limit');
    const limitPointer = core.value && limitRaw !== undefined ? `${core.pointer}/core_count_limit` : core.present ? core.pointer : '';
    let limit: number | undefined;
    if (isEmpty(limitRaw)) ctx.report({ messageId: 'missingCoreLimit', file: T, pointer: limitPointer });
    else {
      const n = typeof limitRaw === 'number' ? limitRaw : typeof limitRaw === 'string' && /^\s*-?\d+\s*$/.test(limitRaw) ? Number(limitRaw) : NaN;
      if (Number.isInteger(n)) limit = n;
      else ctx.report({ messageId: 'badCoreLimit', data: { actual: kindOf(limitRaw) }, file: T, pointer: limitPointer });
    }
    const coreIds = topology.coreGateIds;
    if (coreIds.items.length === 0) ctx.report({ messageId: 'emptyCoreIds', file: T, pointer: coreIds.present ? coreIds.pointer : core.present ? core.pointer : '' });
    else if (limit !== undefined && coreIds.items.length !== limit)
      ctx.report({ messageId: 'coreCountMismatch', data: { expected: limit, actual: coreIds.items.length }, file: T, pointer: limitPointer });
    const coreFirst = new Map<string, number>();
    coreIds.items.forEach((item, i) => {
      if (item.value === undefined) return;
      const first = coreFirst.get(item.value);
      if (first === undefined) coreFirst.set(item.value, i);
      else ctx.report({ messageId: 'duplicateCoreGate', data: { gate: item.value, first }, file: T, pointer: item.pointer });
    });

    // Defined domains (entries without a domain_id are gate-topology-metadata's finding).
    const domainItems = topology.domainMetadata.items;
    const defined = new Set(domainItems.flatMap((d) => (d.domainId === undefined ? [] : [d.domainId])));
    if (domainItems.length === 0) ctx.report({ messageId: 'emptyDomains', file: T, pointer: topology.domainMetadata.present ? topology.domainMetadata.pointer : '' });
    else if (defined.size === 0) ctx.report({ messageId: 'noDomainIds', file: T, pointer: topology.domainMetadata.pointer });
    const domainsKnown = defined.size > 0;

    // Active gates, in registry order, each id once: `retired` true (or the text "true", as yq compares) retires.
    const R = registry.file;
    const active: { id: string; pointer: string }[] = [];
    const activeSet = new Set<string>();
    const firstIndex = new Map<string, number>();
    for (const gate of registry.gates.items) {
      if (gate.id === undefined) continue;
      const retired = gate.retired === true || gate.retired === 'true';
      if (gate.retired !== undefined && gate.retired !== null && typeof gate.retired !== 'boolean')
        ctx.report({ messageId: 'retiredNotBoolean', data: { gate: gate.id, actual: kindOf(gate.retired), state: retired ? 'retired' : 'active' }, file: R, pointer: gate.retiredPointer });
      const first = firstIndex.get(gate.id);
      if (first !== undefined) {
        ctx.report({ messageId: 'duplicateGate', data: { gate: gate.id, first }, file: R, pointer: gate.idPointer });
        if (retired || activeSet.has(gate.id)) continue;
      } else firstIndex.set(gate.id, gate.index);
      if (retired) continue;
      active.push({ id: gate.id, pointer: gate.idPointer });
      activeSet.add(gate.id);
    }
    if (active.length === 0) ctx.report({ messageId: 'noActiveGates', file: R, pointer: registry.gates.present ? registry.gates.pointer : '' });

    // Assignment rows (rows without a gate_id are gate-topology-metadata's finding).
    const rows = new Map<string, TopologyAssignment[]>();
    for (const row of topology.gateAssignments.items) {
      const gid = row.gateId;
      if (gid === undefined || gid === '') continue;
      const list = rows.get(gid);
      if (list) list.push(row);
      else rows.set(gid, [row]);
      const primaryRaw = field(row.entry, 'primary_domain');
      const primary = optScalar(primaryRaw); // a map or a list: the schema's finding
      const primaryPointer = `${row.pointer}/primary_domain`;
      if (isEmpty(primaryRaw)) {
        if (requirePrimary) ctx.report({ messageId: 'emptyPrimary', data: { gate: gid }, file: T, pointer: primaryRaw === undefined ? row.pointer : primaryPointer });
      } else if (primary !== undefined && domainsKnown && !defined.has(primary)) ctx.report({ messageId: 'undefinedPrimary', data: { gate: gid, domain: primary }, file: T, pointer: primaryPointer });
      if (!domainsKnown) continue;
      for (const s of row.secondary ?? []) {
        if (s.value === undefined || s.value === '' || defined.has(s.value)) continue;
        ctx.report({ messageId: 'undefinedSecondary', data: { gate: gid, domain: s.value }, file: T, pointer: s.pointer });
      }
    }
    const assignments = topology.gateAssignments;
    if (assignments.items.length === 0) ctx.report({ messageId: 'emptyAssignments', file: T, pointer: assignments.present ? assignments.pointer : '' });
    else if (rows.size === 0) ctx.report({ messageId: 'noAssignmentIds', file: T, pointer: assignments.pointer });

    // Every active gate assigned exactly once.
    if (rows.size > 0)
      for (const gate of active) {
        const found = rows.get(gate.id) ?? [];
        if (found.length === 0 && requirePrimary) ctx.report({ messageId: 'missingAssignment', data: { gate: gate.id }, file: R, pointer: gate.pointer });
        if (found.length > 1) ctx.report({ messageId: 'multipleAssignments', data: { gate: gate.id, count: found.length }, file: T, pointer: `${found[1]!.pointer}/gate_id` });
      }

    // Core gates are active and assigned.
    for (const item of coreIds.items) {
      if (item.value === undefined) continue;
      if (active.length > 0 && !activeSet.has(item.value)) ctx.report({ messageId: 'coreInactive', data: { gate: item.value }, file: T, pointer: item.pointer });
      else if (rows.size > 0 && !rows.has(item.value)) ctx.report({ messageId: 'coreUnassigned', data: { gate: item.value }, file: T, pointer: item.pointer });
    }

    // Every domain named elsewhere is defined.
    const release = topology.releaseSequence;
    if (rejectUndefined && domainsKnown) {
      const undefinedRef = (domain: string | undefined, file: string, pointer: string): void => {
        if (domain === undefined || domain === '' || defined.has(domain)) return;
        ctx.report({ messageId: 'undefinedReference', data: { domain }, file, pointer });
      };
      for (const k of domainProfiles.domains.keys) undefinedRef(k.key, domainProfiles.file, k.pointer);
      for (const p of agentProfiles.profiles.items) for (const d of p.domains ?? []) undefinedRef(d.value, agentProfiles.file, d.pointer);
      for (const r of release.items) undefinedRef(r.value, T, r.pointer);
    }

    // The release sequence covers every domain.
    if (requireRelease) {
      if (release.items.length === 0) ctx.report({ messageId: 'emptyRelease', file: T, pointer: release.present ? release.pointer : '' });
      else {
        const inRelease = new Set(release.items.flatMap((r) => (r.value === undefined ? [] : [r.value])));
        const reported = new Set<string>();
        for (const d of domainItems) {
          if (d.domainId === undefined || inRelease.has(d.domainId) || reported.has(d.domainId)) continue;
          reported.add(d.domainId);
          ctx.report({ messageId: 'releaseMissing', data: { domain: d.domainId }, file: T, pointer: `${d.pointer}/domain_id` });
        }
      }
    }
  },
});
