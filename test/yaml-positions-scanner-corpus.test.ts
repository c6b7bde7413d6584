import { describe, expect, it } from 'vitest';
import { fastYamlValue } from '../packages/core/src/workspace/yamlDocument.js';
import { bothTables, tableDifference } from '../packages/core/test/yamlTables.js';
import { corpusPresent } from './support/corpus.js';
import { corpusYamlTexts } from './support/corpusTexts.js';

/**
 * The position index's scanner (`scanTable` in yamlPositions.ts, which reads the plain block
 * subset without js-yaml) against js-yaml's listener events (`eventTable`), on every distinct YAML
 * file of the corpus: wherever the scanner reads a file, the node table is the same, column by
 * column (starts, ends, kinds, children, keys). `test/yaml-positions-corpus.test.ts` then proves
 * the index's answers equal to the `yaml` package's.
 */
describe.skipIf(!corpusPresent)('YAML position scanner = js-yaml events on the whole corpus', () => {
  it('gives the same node table wherever it reads a file, and reads most files', () => {
    const texts = [...corpusYamlTexts().yaml];
    let fast = 0;
    let read = 0;
    const differences: string[] = [];
    for (const [path, text] of texts) {
      if (!fastYamlValue(text)) continue;
      fast++;
      const { scanned, events } = bothTables(text);
      if (!scanned) continue;
      read++;
      const difference = events ? tableDifference(scanned, events) : 'js-yaml gives no table';
      if (difference) differences.push(`${path}: ${difference}`);
    }
    expect(differences.slice(0, 20)).toEqual([]);
    expect(fast).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(fast * 0.75);
  }, 120_000);
});
