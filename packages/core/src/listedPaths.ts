import type { CheckMeta } from './check.js';
import { normalisePath } from './workspace/source.js';
import type { Workspace } from './workspace/workspace.js';

/**
 * What a `readsListedIn` binding lists ({@link CheckMeta.readsListedIn}): every string value of
 * its YAML, recursively, as a repository path — a `#fragment` cut off, trimmed, normalised; empty
 * strings skipped. Deliberately wide (a hostname or a state is "listed" too): it decides which
 * checks a changed file selects (`check --staged`, `--base`, file arguments) and which reads the
 * reads test accepts, and both must over-approximate. The one implementation of the rule.
 */
export function listedPaths(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const path = normalisePath(value.split('#')[0]!.trim());
    if (path !== '') out.add(path);
  } else if (Array.isArray(value)) for (const v of value) listedPaths(v, out);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) for (const v of Object.values(value)) listedPaths(v, out);
  return out;
}

/** The paths the `readsListedIn` bindings of a check list in a workspace (a missing or unparsable binding lists nothing). */
export function filesListedIn(meta: Pick<CheckMeta, 'readsListedIn'>, workspace: Workspace, out = new Set<string>()): Set<string> {
  for (const name of meta.readsListedIn ?? []) listedPaths(workspace.yaml(name)?.value, out);
  return out;
}
