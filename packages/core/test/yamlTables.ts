import { yamlPositionsOf } from '../src/workspace/yamlDocument.js';
import { scanner, type YamlPositions } from '../src/workspace/yamlPositions.js';

/** The index through the scanner and through js-yaml's events, and whether the scanner read the text. */
export function bothTables(text: string): { scanned: YamlPositions | undefined; events: YamlPositions | undefined; reason: string } {
  scanner.enabled = true;
  const scanned = yamlPositionsOf(text);
  const reason = scanner.lastDecline;
  scanner.enabled = false;
  try {
    return { scanned: reason === '' ? scanned : undefined, events: yamlPositionsOf(text), reason };
  } finally {
    scanner.enabled = true;
  }
}

/** The first column where two indexes differ ('' when their node tables are equal). */
export function tableDifference(a: YamlPositions, b: YamlPositions): string {
  const x = a as unknown as Record<string, ArrayLike<unknown> | number>;
  const y = b as unknown as Record<string, ArrayLike<unknown> | number>;
  for (const column of ['start', 'end', 'kind', 'childOffset', 'childCount', 'children', 'keyString', 'root']) {
    const p = x[column]!;
    const q = y[column]!;
    if (typeof p === 'number' || typeof q === 'number') {
      if (p !== q) return `${column}: ${String(p)} != ${String(q)}`;
      continue;
    }
    const length = Math.max(p.length, q.length);
    for (let i = 0; i < length; i++) if (p[i] !== q[i]) return `${column}[${i}]: ${String(p[i])} != ${String(q[i])}`;
  }
  return '';
}
