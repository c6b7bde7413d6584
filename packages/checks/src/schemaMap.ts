import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkMatches, schemaCheck, schemaValidation, type CheckMeta, type FindingProducer, type SchemaEntry, type Workspace } from '@spine-lint/core';
import { schemasDir } from '@spine-lint/core/decide';
import type { BindingName } from './layout.js';

/**
 * Which bindings have a JSON Schema in this package's `schemas/` directory: the schemas are
 * the single source of each binding's shape (`schemas/<binding>.schema.json`).
 */
export const schemaBindings = [
  'ssh.targets',
  'backup.inventory',
  'infra.relocation.plan',
  'services.health',
  'docker.compose.targets',
  'infra.placement.policy',
  'infra.vm.profiles',
  'SERVICE_REGISTRY',
  'vm.lifecycle',
  'home.device.registry',
  'capabilities',
  'capability_map',
  'vm.lifecycle.contract',
  'vm.operating.profile',
  'startup.sequencing',
  'media.services',
  'gate.registry',
  'gate.execution.topology',
  'gate.domain.profiles',
  'gate.agent.profiles',
] as const satisfies readonly BindingName[];

export type SchemaBinding = (typeof schemaBindings)[number];

/**
 * The directory of the schema files: `schemas/` of this package, which ships them (`files` in its
 * package.json), located by the core's `schemasDir` from this module (in `src/` or `dist/`).
 */
export const schemaDir = pathToFileURL(schemasDir(fileURLToPath(import.meta.url)) + '/');

const loaded = new Map<string, object>();

/**
 * The schema of a binding, read from `schemas/` the first time it is needed. These are the tool's
 * own read-only assets (shipped beside the code), not the user's bindings: the only file access
 * in this package, and it never touches the workspace.
 */
export function schemaFor(binding: SchemaBinding): object {
  let schema = loaded.get(binding);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`${binding}.schema.json`, schemaDir), 'utf8')) as object;
    loaded.set(binding, schema);
  }
  return schema;
}

export interface SchemaProducerOptions {
  /** Validate only these bindings (default: every binding with a schema). */
  bindings?: readonly string[];
}

/**
 * The schema-validation producer of the catalog. Schema files are read and compiled lazily, when
 * the producer first runs and only for bindings present in the workspace. Its `wrongShape` (asked
 * by the runner before the checks run) names the bindings with a collection of the wrong kind.
 */
export function schemaProducer(options: SchemaProducerOptions = {}): FindingProducer {
  const wanted = schemaBindings.filter((b) => options.bindings === undefined || options.bindings.includes(b));
  const validation = (workspace: Workspace): FindingProducer => {
    const entries: SchemaEntry[] = [];
    for (const binding of wanted) {
      if (!workspace.exists(binding)) continue;
      entries.push({ binding, schema: schemaFor(binding) });
    }
    return schemaValidation(entries);
  };
  // wrongShape: the bindings whose collections have the wrong kind; the runner does not run the checks that read them.
  return Object.assign((workspace: Workspace) => validation(workspace)(workspace), { wrongShape: (workspace: Workspace) => validation(workspace).wrongShape?.(workspace) ?? new Set<string>() });
}

/**
 * Which bindings `spine-lint check --only …` validates: all of them when `schema` itself is
 * selected (or nothing is), otherwise those the selected checks read (a check's `reads` holds
 * binding names or repository paths), so that a shape error explaining a check's odd finding is
 * shown beside it, while `--only` stays fast.
 */
export function schemaBindingsFor(only: readonly string[], checks: readonly CheckMeta[], workspace: Pick<Workspace, 'pathOf'>): readonly SchemaBinding[] {
  if (only.length === 0 || only.some((name) => checkMatches(schemaCheck, name))) return schemaBindings;
  const selected = checks.filter((c) => only.some((name) => checkMatches(c, name)));
  const read = new Set(selected.flatMap((c) => c.reads.map((r) => workspace.pathOf(r))));
  return schemaBindings.filter((b) => read.has(workspace.pathOf(b)));
}
