import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this checkout). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The shared corpus of real bindings: `../shared/corpus` next to the checkout (where CI puts it),
 * or `SPINE_LINT_CORPUS`. Never an absolute machine path, so a clone anywhere works.
 */
export const CORPUS = process.env.SPINE_LINT_CORPUS ?? resolve(REPO_ROOT, '../shared/corpus');
export const SNAPSHOTS = resolve(CORPUS, 'snapshots');
export const TREES = resolve(CORPUS, 'trees');
export const corpusPresent = existsSync(SNAPSHOTS) && existsSync(TREES);

// On CI the corpus must be there: a missing corpus must fail loudly, not skip the differential tests.
if (!corpusPresent && process.env.CI) {
  throw new Error(`the shared corpus is missing at ${CORPUS} (set SPINE_LINT_CORPUS); corpus tests cannot run`);
}

/** Every YAML and Markdown file under a corpus tree's ops/ and docs/, as text by repository path. */
export function treeFiles(tree: string): Record<string, string> {
  const root = join(TREES, tree);
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|md)$/.test(name)) out[relative(root, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(join(root, 'ops'));
  walk(join(root, 'docs'));
  return out;
}
