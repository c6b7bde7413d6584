/**
 * The agentic-spine layout: logical binding names and where they live in the repository
 * (spec §1). Every path can be overridden with `paths:` in `.spine-lint.yaml`.
 */
export const defaultPaths = {
  'ssh.targets': 'ops/bindings/ssh.targets.yaml',
  'backup.inventory': 'ops/bindings/backup.inventory.yaml',
  'infra.relocation.plan': 'ops/bindings/infra.relocation.plan.yaml',
  'services.health': 'ops/bindings/services.health.yaml',
  'docker.compose.targets': 'ops/bindings/docker.compose.targets.yaml',
  'infra.placement.policy': 'ops/bindings/infra.placement.policy.yaml',
  'infra.vm.profiles': 'ops/bindings/infra.vm.profiles.yaml',
  'vm.lifecycle': 'ops/bindings/vm.lifecycle.yaml',
  'naming.policy': 'ops/bindings/naming.policy.yaml',
  'gate.registry': 'ops/bindings/gate.registry.yaml',
  SERVICE_REGISTRY: 'docs/governance/SERVICE_REGISTRY.yaml',
  STACK_REGISTRY: 'docs/governance/STACK_REGISTRY.yaml',
  DEVICE_IDENTITY: 'docs/governance/DEVICE_IDENTITY_SSOT.md',
  'vm.lifecycle.contract': 'ops/bindings/vm.lifecycle.contract.yaml',
  'tailscale.ssh.lifecycle.contract': 'ops/bindings/tailscale.ssh.lifecycle.contract.yaml',
  'ssh.target.lifecycle.contract': 'ops/bindings/ssh.target.lifecycle.contract.yaml',
  'workbench.ssh.attach.contract': 'ops/bindings/workbench.ssh.attach.contract.yaml',
  'infra.capacity.guard.policy': 'ops/bindings/infra.capacity.guard.policy.yaml',
  'infra.core.slo': 'ops/bindings/infra.core.slo.yaml',
  'topology.sites': 'ops/bindings/topology.sites.yaml',
  'binding.freshness.exemptions': 'ops/bindings/binding.freshness.exemptions.yaml',
  'spine.schema.conventions': 'ops/bindings/spine.schema.conventions.yaml',
  SSOT_REGISTRY: 'docs/governance/SSOT_REGISTRY.yaml',
  MINILAB_SSOT: 'docs/governance/MINILAB_SSOT.md',
  'vm.operating.profile': 'ops/bindings/vm.operating.profile.yaml',
  'home.device.registry': 'ops/bindings/home.device.registry.yaml',
  capabilities: 'ops/capabilities.yaml',
  capability_map: 'ops/bindings/capability_map.yaml',
  'gate.execution.topology': 'ops/bindings/gate.execution.topology.yaml',
  'gate.domain.profiles': 'ops/bindings/gate.domain.profiles.yaml',
  'gate.agent.profiles': 'ops/bindings/gate.agent.profiles.yaml',
  'startup.sequencing': 'ops/bindings/startup.sequencing.yaml',
  'media.services': 'ops/bindings/media.services.yaml',
} as const satisfies Record<string, string>;

export type BindingName = keyof typeof defaultPaths;

/** Directories whose YAML files are all syntax-checked by `spine-lint check`. */
export const defaultBindingDirs: readonly string[] = ['ops/bindings', 'docs/governance'];

/**
 * Fields that identify a record in the spine's lists (first present wins): ssh targets and endpoints
 * by `id`, relocation services by `service`, stacks by `stack_id`, backup targets by `name`, VM
 * targets by `hostname`/`vm_id`. The semantic diff matches records by them, and fingerprints use
 * them instead of list indices.
 */
export const recordIdFields: readonly string[] = ['id', 'service', 'stack_id', 'name', 'hostname', 'vm_id'];
