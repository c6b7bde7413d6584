import { defineCheck } from '@spine-lint/core';
import { vmLifecycleContract } from '../bindings/infra/vmLifecycleContract.js';
import { vmLifecycleKeyed, vmOperatingProfile, type VmKeyedListView, type VmKeyedRow } from '../bindings/infra/vmOperatingProfile.js';
import { isBlank, own, valueKind, valueText, type CollectionProblem } from '../bindings/infra/valueKind.js';
import { optScalar, sameRootPath } from '../bindings/util.js';

/** The six policy fields of a profile row, in the reference's order, with their enums (exact, case-sensitive). */
export const PROFILE_FIELDS = {
  ssh_mode: ['standard', 'non-standard', 'haos', 'lxc-root', 'none'],
  runtime_inspection_mode: ['docker-group', 'docker-sudo', 'docker-none', 'haos-supervisor', 'none'],
  health_probe_policy: ['full', 'selective', 'none'],
  startup_policy: ['auto', 'manual', 'template'],
  diagnostic_user_policy: ['docker-group-member', 'sudo-only', 'no-docker-access', 'not-applicable'],
  backup_policy: ['vzdump-scheduled', 'vzdump-manual', 'none'],
} as const satisfies Record<string, readonly string[]>;

/**
 * D86 vm-operating-profile-parity-lock (gates-tier2.md): every active VM of the canonical lifecycle
 * binding has one vm.operating.profile row with six policy fields from fixed enums, active lifecycle
 * rows carry the contract's required fields, and no profile row is orphaned.
 */
export default defineCheck({
  id: 'vm-operating-profile-parity',
  aliases: ['D86'],
  title: 'VM operating profile parity',
  description:
    'vm.lifecycle.contract names the canonical lifecycle binding and its required_vm_fields. Every active VM (any site) carries those fields and has exactly ' +
    'one vm.operating.profile row (keyed by id // vmid) whose ssh_mode, runtime_inspection_mode, health_probe_policy, startup_policy, diagnostic_user_policy ' +
    'and backup_policy are set to allowed values; every profile row belongs to an active VM.',
  severity: 'error',
  kind: 'static',
  reads: ['vm.lifecycle.contract', 'vm.operating.profile', 'vm.lifecycle'],
  fixHint: 'Add or correct the vm.operating.profile.yaml row of the VM (all six policy fields, allowed values), or fix the lifecycle row it must match.',
  ports: 'surfaces/verify/d86-vm-operating-profile-parity-lock.sh',
  messages: {
    missingFile: '{{file}} not found.',
    wrongShape: '{{file}}: {{path}} must be {{expected}} (found {{actual}}).',
    missingCanonical: 'vm.lifecycle.contract.yaml missing canonical path.',
    canonicalMissing: 'canonical lifecycle file missing: {{canonical}}.',
    canonicalElsewhere: "vm.lifecycle.contract.yaml canonical is '{{canonical}}' but the layout reads vm.lifecycle from {{file}}; point the layout (paths: vm.lifecycle) at it.",
    requiredFieldInvalid: 'vm.lifecycle.contract.yaml required_vm_fields[{{index}}] must be a field name (found {{actual}}).',
    requiredFieldDuplicate: "vm.lifecycle.contract.yaml required_vm_fields lists '{{field}}' more than once.",
    missingKey: '{{row}} has no id (or vmid): it cannot be matched between vm.lifecycle.yaml and vm.operating.profile.yaml.',
    malformedKey: "{{row}} has the VM key '{{key}}', which is not a VMID (digits).",
    duplicateKey: '{{file}} lists VM {{vmid}} more than once (first at {{first}}).',
    missingRequiredField: "Active VM {{vmid}} ({{host}}) missing required lifecycle field '{{field}}'.",
    missingProfile: 'Active VM {{vmid}} ({{host}}) missing from vm.operating.profile.yaml.',
    fieldMissing: 'VM {{vmid}} ({{host}}): {{field}} is null/missing.',
    fieldInvalid: "VM {{vmid}} ({{host}}): {{field}} has invalid value '{{value}}'.",
    orphanProfile: 'Profile entry for VM {{vmid}} has no matching lifecycle entry.',
    inactiveProfile: "Profile entry for VM {{vmid}} but lifecycle status is '{{status}}' (not active).",
  },
  run(ctx) {
    const ws = ctx.workspace;
    // Preconditions, in the reference's order; each stops the check with one finding.
    for (const name of ['vm.lifecycle.contract', 'vm.operating.profile'] as const) {
      if (!ws.exists(name)) {
        ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf(name) }, file: name });
        return;
      }
    }
    const contract = vmLifecycleContract(ws);
    if (contract.status !== 'loaded') return; // unparsable or empty: the parse finding (the runner does not even run us)
    const shape = (file: string, p: CollectionProblem) =>
      ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(file), path: p.path, expected: p.expected, actual: p.actual }, file, pointer: p.pointer });
    if (contract.rootProblem) return shape(contract.file, contract.rootProblem);
    const canonical = typeof contract.canonical === 'string' || typeof contract.canonical === 'number' ? String(contract.canonical) : undefined;
    // A value that is there but is no path (a list, a map, a boolean) is not "missing": it has the wrong shape.
    if (canonical === undefined && contract.canonical !== undefined && contract.canonical !== null)
      return shape(contract.file, { path: 'canonical', expected: 'a path', actual: valueKind(contract.canonical), pointer: '/canonical' });
    if (canonical === undefined || isBlank(canonical.trim())) {
      ctx.report({ messageId: 'missingCanonical', file: contract.file, pointer: contract.canonical === undefined ? '' : '/canonical' });
      return;
    }
    // The lifecycle binding is read through the layout: a contract naming another file is reported, not followed.
    if (!sameRootPath(canonical, ws.pathOf('vm.lifecycle'))) {
      ctx.report({ messageId: 'canonicalElsewhere', data: { canonical, file: ws.pathOf('vm.lifecycle') }, file: contract.file, pointer: '/canonical' });
      return;
    }
    if (!ws.exists('vm.lifecycle')) {
      ctx.report({ messageId: 'canonicalMissing', data: { canonical }, file: contract.file, pointer: '/canonical' });
      return;
    }
    const lifecycle = vmLifecycleKeyed(ws);
    const profiles = vmOperatingProfile(ws);
    if (lifecycle.status !== 'loaded' || profiles.status !== 'loaded') return; // the parse finding says why
    if (lifecycle.problem) {
      // The one finding about the collection replaces the schema's "missing required key 'vms'".
      ctx.report({
        messageId: 'wrongShape',
        data: { file: ws.pathOf(lifecycle.file), path: lifecycle.problem.path, expected: lifecycle.problem.expected, actual: lifecycle.problem.actual },
        file: lifecycle.file,
        pointer: lifecycle.problem.pointer,
        supersedes: [{ checkId: 'schema', data: { binding: 'vm.lifecycle', keyword: 'required', key: 'vms' } }],
      });
      return;
    }
    if (contract.requiredFieldsProblem) shape(contract.file, contract.requiredFieldsProblem);
    if (profiles.problem) shape(profiles.file, profiles.problem);

    // The contract's required fields, each once.
    const required: string[] = [];
    for (const f of contract.requiredFields) {
      if (f.name === undefined) ctx.report({ messageId: 'requiredFieldInvalid', data: { index: f.index, actual: valueKind(f.value) }, file: contract.file, pointer: f.pointer });
      else if (required.includes(f.name)) ctx.report({ messageId: 'requiredFieldDuplicate', data: { field: f.name }, file: contract.file, pointer: f.pointer });
      else required.push(f.name);
    }

    // Rows that cannot be joined are reported once each; the first row of a key is the one joined.
    const listName = (view: VmKeyedListView): string => (view === lifecycle ? 'vms' : 'profiles');
    const group = (view: VmKeyedListView, label: (r: VmKeyedRow) => string, relevant: (r: VmKeyedRow) => boolean): Map<string, VmKeyedRow[]> => {
      const byKey = new Map<string, VmKeyedRow[]>();
      for (const r of view.rows) {
        if (!r.map) shape(view.file, { pointer: r.pointer, path: `${listName(view)}[${r.index}]`, expected: 'a map', actual: r.kind });
        else if (r.keyState === 'ok') byKey.set(r.key!, [...(byKey.get(r.key!) ?? []), r]);
        else if (relevant(r))
          ctx.report(
            r.keyState === 'missing'
              ? { messageId: 'missingKey', data: { row: label(r) }, file: view.file, pointer: r.keyPointer }
              : { messageId: 'malformedKey', data: { row: label(r), key: r.key! }, file: view.file, pointer: r.keyPointer },
          );
      }
      return byKey;
    };
    const duplicates = (view: VmKeyedListView, byKey: Map<string, VmKeyedRow[]>, relevant: (vmid: string, same: VmKeyedRow[]) => boolean): void => {
      for (const [vmid, same] of byKey) {
        if (same.length < 2 || !relevant(vmid, same)) continue;
        for (const r of same.slice(1))
          ctx.report({ messageId: 'duplicateKey', data: { file: ws.pathOf(view.file), vmid, first: `${listName(view)}[${same[0]!.index}]` }, file: view.file, pointer: r.keyPointer });
      }
    };
    const isActive = (r: VmKeyedRow): boolean => r.status === 'active';
    const vms = group(lifecycle, (r) => `Active VM vms[${r.index}] (${r.hostname})`, isActive);
    const rows = profiles.problem
      ? new Map<string, VmKeyedRow[]>()
      : group(
          profiles,
          (r) => `Profile entry profiles[${r.index}]`,
          () => true,
        );
    // A lifecycle key listed twice matters here when the VM is active or has a profile (a reused VMID of two retired VMs does not).
    duplicates(lifecycle, vms, (vmid, same) => same.some(isActive) || rows.has(vmid));
    duplicates(profiles, rows, () => true);

    // Every active lifecycle row: required fields, then its profile.
    const joined = new Set<string>();
    for (const vm of lifecycle.rows) {
      if (!isActive(vm) || vm.keyState !== 'ok' || !vm.map) continue;
      const data = { vmid: vm.key!, host: vm.hostname };
      for (const field of required) {
        const value = own(vm.map, field);
        if (!isBlank(value)) continue;
        // Trees 11-12: the contract required `vmid` while every row spells its key `id`.
        const other = field === 'vmid' ? 'id' : field === 'id' ? 'vmid' : undefined;
        const hint = other !== undefined && !isBlank(own(vm.map, other)) ? `The row spells its VM key '${other}': list that spelling in required_vm_fields, or rename the key.` : undefined;
        ctx.report({ messageId: 'missingRequiredField', data: { ...data, field }, file: lifecycle.file, pointer: value === undefined ? vm.pointer : `${vm.pointer}/${field}`, hint });
      }
      if (profiles.problem || joined.has(vm.key!)) continue;
      joined.add(vm.key!);
      const profile = rows.get(vm.key!)?.[0];
      if (!profile) {
        ctx.report({ messageId: 'missingProfile', data, file: lifecycle.file, pointer: vm.keyPointer });
        continue;
      }
      for (const field of Object.keys(PROFILE_FIELDS)) {
        if (isBlank(own(profile.map, field)))
          ctx.report({ messageId: 'fieldMissing', data: { ...data, field }, file: profiles.file, pointer: own(profile.map, field) === undefined ? profile.pointer : `${profile.pointer}/${field}` });
      }
      for (const [field, allowed] of Object.entries(PROFILE_FIELDS)) {
        const value = own(profile.map, field);
        if (isBlank(value) || (typeof value === 'string' && (allowed as readonly string[]).includes(value))) continue;
        ctx.report({
          messageId: 'fieldInvalid',
          data: { ...data, field, value: valueText(value) },
          file: profiles.file,
          pointer: `${profile.pointer}/${field}`,
          hint: `Allowed values of ${field}: ${allowed.join(', ')}.`,
        });
      }
    }

    // Every profile row belongs to an active VM.
    for (const [vmid, [profile]] of rows) {
      const matches = vms.get(vmid);
      if (!matches) ctx.report({ messageId: 'orphanProfile', data: { vmid }, file: profiles.file, pointer: profile!.keyPointer });
      else if (!matches.some(isActive))
        ctx.report({ messageId: 'inactiveProfile', data: { vmid, status: optScalar(own(matches[0]!.map, 'status')) ?? 'null' }, file: profiles.file, pointer: profile!.keyPointer });
    }
  },
});
