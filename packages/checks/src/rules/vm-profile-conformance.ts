import { defineCheck } from '@spine-lint/core';
import { vmLifecycle } from '../bindings/vmLifecycle.js';
import { vmProfiles } from '../bindings/vmProfiles.js';
import { pointer, type PlainMap } from '../bindings/util.js';

/** vm.lifecycle `resources.<key>` ↔ profile `provisioning.<key>` (the runbook's "4 cores, 8GB RAM, 50GB disk"). */
export const RESOURCE_FIELDS = [
  ['cpu_cores', 'cpu_cores'],
  ['memory_mb', 'memory_mb'],
  ['boot_disk_gb', 'disk_gb'],
] as const;

const PROVISIONING_INTS = ['cpu_cores', 'memory_mb', 'disk_gb'] as const;
const PROVISIONING_STRINGS = ['bridge', 'storage', 'image_storage', 'ci_network_cidr', 'ci_user', 'nameserver', 'search_domain'] as const;
const PROVISIONING_BOOLS = ['qemu_agent', 'onboot'] as const;

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** How a wrong value reads in a message: `the string "false"`, `a number (4.5)`, `null`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return Array.isArray(v) ? 'a list' : 'a map';
}

/** VMs whose record is history, not a machine to conform. */
const isRetired = (status: string | undefined): boolean => status === 'decommissioned' || status === 'abandoned';

/**
 * New check (spec §1.9, §6.1 #1; runbook "clone from template 9000, 4 cores, 8GB RAM, 50GB disk"):
 * every VM's profile exists and is well-typed — booleans real booleans, so `false` can be expressed —
 * and the resources vm.lifecycle records for the VM are its profile's.
 */
export default defineCheck({
  id: 'vm-profile-conformance',
  title: 'VMs conform to their provisioning profile',
  description:
    'Every non-retired vm.lifecycle VM with a `profile` names an infra.vm.profiles profile, and its recorded resources (cpu_cores, memory_mb, boot_disk_gb) ' +
    'equal the profile provisioning (cpu_cores, memory_mb, disk_gb). Every profile has positive integer cpu_cores/memory_mb/disk_gb, template_vmid digits ' +
    'or null, boolean qemu_agent/onboot, string network/storage fields, and real booleans for every readiness field and bootstrap require_* flag.',
  severity: 'error',
  kind: 'static',
  reads: ['vm.lifecycle', 'infra.vm.profiles'],
  fixHint: 'Name an existing profile, write profile switches as real booleans (true/false, unquoted), and record the VM resources its profile provisions (or give the VM a profile that matches).',
  messages: {
    unknownProfile: "VM {{vmid}} ({{host}}) has profile '{{profile}}', which infra.vm.profiles does not define.",
    wrongType: "Profile '{{profile}}' {{field}} is {{actual}}; expected {{expected}}.",
    resourceMismatch: "VM {{vmid}} ({{host}}) records {{resource}}={{actual}} but its profile '{{profile}}' provisions {{field}}={{expected}}.",
    missingResource: "VM {{vmid}} ({{host}}) records no resources.{{resource}} (profile '{{profile}}' provisions {{field}}={{expected}}).",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('infra.vm.profiles')) return;
    const profiles = vmProfiles(ws);
    if (profiles.status !== 'loaded') return;
    const pf = profiles.file;

    // 1. Each profile is well-typed.
    for (const p of profiles.profiles.values()) {
      const wrong = (section: string, field: string, value: unknown, expected: string) =>
        ctx.report({
          messageId: 'wrongType',
          data: { profile: p.name, field: `${section}.${field}`, actual: describeValue(value), expected },
          file: pf,
          pointer: pointer('profiles', p.name, section, field),
        });
      const prov: PlainMap = p.provisioning;
      for (const f of PROVISIONING_INTS) if (!isPositiveInt(prov[f])) wrong('provisioning', f, prov[f], 'a positive integer');
      if ('template_vmid' in prov) {
        const t = prov.template_vmid;
        if (!(t === null || (typeof t === 'string' && /^\d+$/.test(t)) || isPositiveInt(t))) wrong('provisioning', 'template_vmid', t, 'a VMID (digits) or null');
      }
      for (const f of PROVISIONING_STRINGS) if (f in prov && typeof prov[f] !== 'string') wrong('provisioning', f, prov[f], 'a string');
      for (const f of PROVISIONING_BOOLS) if (f in prov && typeof prov[f] !== 'boolean') wrong('provisioning', f, prov[f], 'a boolean (true or false)');
      for (const [f, v] of Object.entries(p.readiness)) if (typeof v !== 'boolean') wrong('readiness', f, v, 'a boolean (true or false)');
      for (const [f, v] of Object.entries(p.bootstrap)) if (f.startsWith('require_') && typeof v !== 'boolean') wrong('bootstrap', f, v, 'a boolean (true or false)');
    }

    // 2. Each VM's profile exists and its recorded resources are the profile's.
    if (!ws.exists('vm.lifecycle')) return;
    const lifecycle = vmLifecycle(ws);
    for (const vm of lifecycle.vms) {
      if (vm.profile === undefined || vm.profile === 'null' || isRetired(vm.status)) continue;
      const data = { vmid: vm.id ?? null, host: vm.hostname ?? null, profile: vm.profile };
      const profile = profiles.profiles.get(vm.profile);
      if (!profile) {
        ctx.report({ messageId: 'unknownProfile', data, file: lifecycle.file, pointer: `${vm.pointer}/profile` });
        continue;
      }
      for (const [resource, field] of RESOURCE_FIELDS) {
        const expected = profile.provisioning[field];
        if (!isPositiveInt(expected)) continue; // reported as wrongType above
        const actual = vm.resources?.[resource];
        const d = { ...data, resource, field, expected };
        if (actual === undefined || actual === null) {
          ctx.report({ messageId: 'missingResource', severity: 'warning', data: d, file: lifecycle.file, pointer: vm.resources ? `${vm.pointer}/resources` : vm.pointer });
        } else if (actual !== expected) {
          ctx.report({
            messageId: 'resourceMismatch',
            severity: 'warning',
            data: { ...d, actual: typeof actual === 'number' ? actual : String(actual) },
            file: lifecycle.file,
            pointer: `${vm.pointer}/resources/${resource}`,
          });
        }
      }
    }
  },
});
