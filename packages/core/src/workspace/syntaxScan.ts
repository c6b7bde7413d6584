import type { FindingProducer } from '../runner.js';

/**
 * Load every YAML file directly inside the given directories so that their parse problems
 * (syntax, duplicate keys, ...) are reported even when no check reads them.
 */
export function syntaxScan(dirs: readonly string[]): FindingProducer {
  return (workspace) => {
    for (const dir of dirs) {
      for (const path of workspace.list(dir)) {
        if (/\.ya?ml$/i.test(path)) workspace.checkSyntax(path);
      }
    }
    return [];
  };
}
