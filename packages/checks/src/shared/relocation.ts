/**
 * What the relocation checks share: how a VM target is identified across revisions, the opening every
 * transition check shares (both plans, the state at the base and at the head) and the registry host
 * fix. The state machine itself is data in ./stateMachine.ts.
 */
import { replaceValueFix, type Fix, type Workspace } from '@spine-lint/core';
import { relocationPlan, type RelocationPlanView, type VmTarget } from '../bindings/relocationPlan.js';

/** A relocation is active when the map is there and its state is not `null`/`none`. */
export function activeState(plan: RelocationPlanView): string | undefined {
  const state = plan.activeRelocation?.state;
  return state === undefined || state === 'null' || state === 'none' ? undefined : state;
}

/** The identity of a VM target across revisions: its vm_id, else its hostname. */
export const vmKey = (t: VmTarget): string | undefined => t.vm_id ?? t.hostname;
export const vmName = (t: VmTarget): string => t.hostname ?? t.vm_id ?? `vm_targets[${t.index}]`;

/** VM targets of the head whose status differs from the same target at the base. */
export function changedVmTargets(base: RelocationPlanView, head: RelocationPlanView): { target: VmTarget; from: string | undefined }[] {
  const before = new Map<string, VmTarget>();
  for (const t of base.vmTargets) {
    const k = vmKey(t);
    if (k !== undefined && !before.has(k)) before.set(k, t);
  }
  const out: { target: VmTarget; from: string | undefined }[] = [];
  for (const t of head.vmTargets) {
    const k = vmKey(t);
    const b = k === undefined ? undefined : before.get(k);
    if (b && b.status !== t.status) out.push({ target: t, from: b.status });
  }
  return out;
}

/** What a transition check judges: both plans, the manifest (the head's file) and the active state at each end. */
export interface RelocationTransition {
  base: RelocationPlanView;
  head: RelocationPlanView;
  file: string;
  /** The active state at the base, `undefined` when no relocation is active. */
  from: string | undefined;
  /** The active state at the head, `undefined` when no relocation is active. */
  to: string | undefined;
}

/** The transition between the base and the head, when both revisions have a readable manifest (else there is nothing to compare). */
export function relocationTransition(ctx: { readonly base: Workspace; readonly workspace: Workspace }): RelocationTransition | undefined {
  const base = relocationPlan(ctx.base);
  const head = relocationPlan(ctx.workspace);
  if (base.status !== 'loaded' || head.status !== 'loaded') return undefined;
  return { base, head, file: head.file, from: activeState(base), to: activeState(head) };
}

/**
 * The one fix of the one root cause relocation-parity, placement-policy and
 * relocation-ssot-completeness see when SERVICE_REGISTRY disagrees with the manifest: the registry
 * follows the manifest (its `to_host`, or `rollback_to` for a rolled-back service). The three checks
 * attach the same edit; `--fix` applies it once.
 */
export function registryHostFix(workspace: Workspace, registryFile: string, hostPointer: string, service: string, host: string): Fix | undefined {
  if (!oneManifestEntry(workspace, service)) return undefined;
  return replaceValueFix(workspace, registryFile, hostPointer, host, `set the SERVICE_REGISTRY host of '${service}' to '${host}', as the relocation manifest says`);
}

/**
 * Whether the manifest has exactly one entry for `service`. Two entries (relocation-unique-ids'
 * finding) may name two destinations: no SSOT edit following "the" manifest is certain then.
 */
export function oneManifestEntry(workspace: Workspace, service: string): boolean {
  return (relocationPlan(workspace).servicesByName.get(service)?.length ?? 0) <= 1;
}
