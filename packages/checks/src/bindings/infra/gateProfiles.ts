import type { Workspace } from '@spine-lint/core';
import { asArray, loadYaml, memoised, optScalar, pointer, type BindingBase } from '../util.js';
import { field, ShapeReader, type Member, type ShapeProblem } from './shape.js';
import type { ListedScalar } from './gateTopology.js';

export interface GateDomainProfilesView extends BindingBase {
  readonly exists: boolean;
  readonly shape: readonly ShapeProblem[];
  /** The keys of `domains`, in document order, each with its pointer. */
  readonly domains: Member<unknown> & { readonly keys: readonly { readonly key: string; readonly pointer: string }[] };
}

/** ops/bindings/gate.domain.profiles.yaml: the verify packs per domain (`domains.<domain>`), read for its domain names (D127). */
export const gateDomainProfiles = memoised((ws: Workspace): GateDomainProfilesView => {
  const file = 'gate.domain.profiles';
  const { status, value } = loadYaml(ws, file);
  const shape = new ShapeReader(file);
  const root = status === 'loaded' ? shape.root(value) : undefined;
  const domains = shape.map(root, 'domains');
  const keys = Object.keys(domains.value ?? {}).map((key) => ({ key, pointer: pointer('domains', key) }));
  return { file, status, exists: ws.exists(file), shape: shape.problems, domains: { ...domains, keys } };
});

/** `profiles[i]` of gate.agent.profiles.yaml. */
export interface AgentProfile {
  readonly index: number;
  readonly pointer: string;
  /** `domains` entries; undefined when absent or not a list (the schema reports the latter). */
  readonly domains: readonly ListedScalar[] | undefined;
}

export interface GateAgentProfilesView extends BindingBase {
  readonly exists: boolean;
  readonly shape: readonly ShapeProblem[];
  readonly profiles: Member<readonly unknown[]> & { readonly items: readonly AgentProfile[] };
}

/** ops/bindings/gate.agent.profiles.yaml: the verify pack of each agent, read for the domains it names (D127). */
export const gateAgentProfiles = memoised((ws: Workspace): GateAgentProfilesView => {
  const file = 'gate.agent.profiles';
  const { status, value } = loadYaml(ws, file);
  const shape = new ShapeReader(file);
  const root = status === 'loaded' ? shape.root(value) : undefined;
  const profiles = shape.list(root, 'profiles');
  const items: AgentProfile[] = shape.mapItems(profiles.value, ['profiles']).map(({ index, pointer: p, entry }) => {
    const list = asArray(field(entry, 'domains'));
    return { index, pointer: p, domains: list?.map((raw, i) => ({ value: optScalar(raw), raw, pointer: pointer('profiles', index, 'domains', i) })) };
  });
  return { file, status, exists: ws.exists(file), shape: shape.problems, profiles: { ...profiles, items } };
});
