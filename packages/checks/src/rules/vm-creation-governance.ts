import { defineCheck } from '@spine-lint/core';
import { backupInventory } from '../bindings/backupInventory.js';
import { isActiveShopVm, requireFiles } from '../bindings/drift/common.js';
import { stackRegistry } from '../bindings/drift/stackRegistry.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { pointer } from '../bindings/util.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';

/** ssh ids that are not VMs and need no vm.lifecycle row (the reference's fixed list). */
const NON_VM_TARGETS = new Set(['pve', 'proxmox-home', 'nas', 'vault', 'ha', 'pihole-home', 'download-home']);
const MEDIA_UNITS = new Set(['download-stack', 'streaming-stack']);
const RUNTIME_FIELDS = ['backup_profile', 'data_class', 'destination_lane', 'schedule_class', 'restore_class'] as const;

/**
 * D69 vm-creation-governance-lock (spec §2.16): every active shop VM on pve is registered everywhere a
 * new VM must be (ssh.targets, SERVICE_REGISTRY hosts, a vzdump backup target, a vm runtime unit, a
 * health probe), and every ssh target that is a VM is tracked in vm.lifecycle.
 */
export default defineCheck({
  id: 'vm-creation-governance',
  aliases: ['D69'],
  title: 'VM creation governance',
  description:
    'Each active shop VM (vm.lifecycle status active, proxmox_host pve, site_scope not home) has an ssh target whose host and tailscale_ip match, a ' +
    'SERVICE_REGISTRY host with the same Tailscale IP and vmid, a vzdump backup target, a vm runtime unit with backup metadata, and a services.health probe ' +
    'when it runs Docker (a disabled probe counts: disabling a probe is a deliberate decision); ssh targets that are VMs are in vm.lifecycle.',
  severity: 'error',
  kind: 'static',
  reads: ['vm.lifecycle', 'ssh.targets', 'SERVICE_REGISTRY', 'backup.inventory', 'services.health', 'STACK_REGISTRY'],
  fixHint: 'Register the VM in every binding a new VM needs (see docs/core/VM_CREATION_CONTRACT.md), or correct the mismatching value.',
  ports: 'surfaces/verify/d69-vm-creation-governance-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} is missing.',
    pendingPlaceholder: 'VM {{vmid}} ({{host}}): has PENDING_* placeholder in lifecycle binding ({{field}}={{value}}).',
    missingSshTarget: 'VM {{vmid}} ({{host}}): missing from ssh.targets.yaml.',
    lanIpMismatch: 'VM {{vmid}} ({{host}}): LAN IP mismatch — lifecycle={{lifecycle}}, ssh.targets={{actual}}.',
    sshTailscaleMismatch: 'VM {{vmid}} ({{host}}): Tailscale IP mismatch — lifecycle={{lifecycle}}, ssh.targets.tailscale_ip={{actual}}.',
    missingRegistryHost: 'VM {{vmid}} ({{host}}): missing from SERVICE_REGISTRY.yaml hosts.',
    registryTailscaleMismatch: 'VM {{vmid}} ({{host}}): Tailscale IP mismatch — lifecycle={{lifecycle}}, SERVICE_REGISTRY={{actual}}.',
    registryVmidMismatch: 'VM {{vmid}} ({{host}}): vmid mismatch — lifecycle={{vmid}}, SERVICE_REGISTRY={{actual}}.',
    missingVzdumpTarget: 'VM {{vmid}} ({{host}}): no vzdump target in backup.inventory.yaml matching vmid {{vmid}} (glob {{glob}}).',
    missingRuntimeUnit: 'VM {{vmid}} ({{host}}): missing runtime_units backup metadata (backup_profile/data_class/destination_lane/schedule_class/restore_class).',
    mediaExclusionMissing: 'VM {{vmid}} ({{host}}): media runtime unit missing /mnt/media exclusion.',
    missingHealthProbe: 'VM {{vmid}} ({{host}}): zero health probe entries in services.health.yaml.',
    missingStackEntry: 'VM {{vmid}} ({{host}}): no STACK_REGISTRY entry found (non-fatal; some VMs use inline compose).',
    orphanSshTarget: "Orphan: '{{host}}' in ssh.targets.yaml but missing from vm.lifecycle.yaml.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['vm.lifecycle', 'ssh.targets', 'SERVICE_REGISTRY', 'backup.inventory', 'services.health', 'STACK_REGISTRY'])) return;
    const lifecycle = vmLifecycle(ws);
    const ssh = sshTargets(ws);
    const registry = serviceRegistry(ws);
    const backup = backupInventory(ws);
    const health = servicesHealth(ws);
    const stacks = stackRegistry(ws);
    // Indexes built once (a lookup per VM instead of a scan of every target/unit/stack per VM).
    const vzdumpGlobs = new Set(backup.targets.map((t) => t.glob));
    const unitByHost = new Map<string | undefined, (typeof backup.runtimeUnits)[number]>();
    for (const u of backup.runtimeUnits) {
      if (u.kind === 'vm' && !unitByHost.has(u.hostname) && RUNTIME_FIELDS.every((f) => (u[f] ?? '') !== '')) unitByHost.set(u.hostname, u);
    }
    const stackKeys = { path: new Set<string>(), deploy: new Set<string>(), name: new Set<string>(), id: new Set<string>() };
    for (const s of stacks.stacks) {
      if (s.path !== undefined) stackKeys.path.add(s.path);
      if (s.deploy_target !== undefined) stackKeys.deploy.add(s.deploy_target);
      if (s.name !== undefined) stackKeys.name.add(s.name.toLowerCase());
      if (s.stack_id !== undefined) stackKeys.id.add(s.stack_id.toLowerCase());
    }

    for (const vm of lifecycle.vms) {
      if (!isActiveShopVm(vm)) continue;
      const host = vm.hostname ?? 'null';
      const vmid = vm.id ?? 'null';
      const base = { vmid, host };
      const pending = (['hostname', 'tailscale_ip'] as const).find((f) => vm[f]?.startsWith('PENDING_'));
      if (pending) {
        ctx.report({ messageId: 'pendingPlaceholder', data: { ...base, field: pending, value: vm[pending] ?? null }, file: lifecycle.file, pointer: `${vm.pointer}/${pending}` });
        continue;
      }

      // 2. ssh target
      const target = vm.hostname === undefined ? undefined : ssh.get(vm.hostname);
      if (!target) ctx.report({ messageId: 'missingSshTarget', data: base, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
      else {
        if (target.host !== vm.lan_ip)
          ctx.report({ messageId: 'lanIpMismatch', data: { ...base, lifecycle: vm.lan_ip ?? null, actual: target.host ?? null }, file: ssh.file, pointer: `${target.pointer}/host` });
        if (vm.tailscale_ip && target.tailscale_ip && vm.tailscale_ip !== target.tailscale_ip)
          ctx.report({ messageId: 'sshTailscaleMismatch', data: { ...base, lifecycle: vm.tailscale_ip, actual: target.tailscale_ip }, file: ssh.file, pointer: `${target.pointer}/tailscale_ip` });
      }

      // 3. SERVICE_REGISTRY host
      const regHost = vm.hostname === undefined ? undefined : registry.hosts.get(vm.hostname);
      if (!regHost) ctx.report({ messageId: 'missingRegistryHost', data: base, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
      else {
        if (vm.tailscale_ip && regHost.tailscale_ip !== vm.tailscale_ip)
          ctx.report({
            messageId: 'registryTailscaleMismatch',
            data: { ...base, lifecycle: vm.tailscale_ip, actual: regHost.tailscale_ip ?? null },
            file: registry.file,
            pointer: `${regHost.pointer}/tailscale_ip`,
          });
        if (vm.id !== undefined && regHost.vmid !== undefined && regHost.vmid !== vm.id)
          ctx.report({ messageId: 'registryVmidMismatch', data: { ...base, actual: regHost.vmid }, file: registry.file, pointer: `${regHost.pointer}/vmid` });
      }

      // 4. vzdump target with the exact glob, and a vm runtime unit with backup metadata.
      const glob = `vzdump-qemu-${vmid}-*.vma.zst`;
      if (!vzdumpGlobs.has(glob)) ctx.report({ messageId: 'missingVzdumpTarget', data: { ...base, glob }, file: lifecycle.file, pointer: `${vm.pointer}/id` });
      const unit = unitByHost.get(vm.hostname);
      if (!unit) ctx.report({ messageId: 'missingRuntimeUnit', data: base, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
      else if (MEDIA_UNITS.has(host) && !(unit.exclude_paths ?? []).some((p) => /^\/mnt\/media(\/.*)?$/.test(p)))
        ctx.report({ messageId: 'mediaExclusionMissing', data: base, file: backup.file, pointer: unit.pointer });

      // 5. A VM running Docker needs a probe entry. A disabled one counts, as in the reference: disabling a
      // probe is a deliberate decision, not missing coverage (the one meaning every check follows, docs/guide.md §3).
      // (The reference coerced has_docker: false to true.)
      if (vm.has_docker !== false && (health.byHost.get(host) ?? []).length === 0) {
        ctx.report({ messageId: 'missingHealthProbe', data: base, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
      }

      // 6. Advisory: a STACK_REGISTRY entry.
      const deploy = `proxmox:vm-${vmid}`;
      const lower = host.toLowerCase();
      if (!stackKeys.path.has(deploy) && !stackKeys.deploy.has(deploy) && !stackKeys.name.has(lower) && !stackKeys.id.has(lower))
        ctx.report({ messageId: 'missingStackEntry', severity: 'warning', data: base, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
    }

    // 7. Orphans: an ssh target that is a VM must be in vm.lifecycle.
    const hostnames = new Set(lifecycle.vms.map((v) => v.hostname).filter((h): h is string => h !== undefined));
    for (const t of ssh.targets) {
      if (t.id === undefined || t.access_method === 'lan_only' || NON_VM_TARGETS.has(t.id) || hostnames.has(t.id)) continue;
      ctx.report({ messageId: 'orphanSshTarget', data: { host: t.id }, file: ssh.file, pointer: pointer('ssh', 'targets', t.index, 'id') });
    }
  },
});
