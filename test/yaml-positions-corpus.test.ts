import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '@spine-lint/core';
import { fastYamlValue, parseYamlDocumentPositioned, yamlPositionsOf } from '../packages/core/src/workspace/yamlDocument.js';
import { corpusPresent as present } from './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping
import { corpusYamlTexts } from './support/corpusTexts.js';

/**
 * The position index (js-yaml listener, `yamlPositions.ts`) against the `yaml` package's
 * positioned parse, on every distinct YAML text of the real corpus (snapshots and whole trees,
 * deduplicated by content, plus Markdown front matter): for every node pointer of the value (every
 * map key and sequence index, plus missing children of each map and sequence and below scalars),
 * `locate` and `locateKey` give exactly the range the `yaml`-based document gives.
 */
/** Every node pointer of a value, and a few that name nothing. */
export function pointersOf(value: unknown): string[] {
  const out: string[] = ['', '/missing-top', '/0'];
  const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const walk = (v: unknown, ptr: string): void => {
    out.push(ptr);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${ptr}/${i}`));
      out.push(`${ptr}/${v.length}`, `${ptr}/x`);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) walk(item, `${ptr}/${esc(k)}`);
      out.push(`${ptr}/no-such-key`);
    } else out.push(`${ptr}/below`);
  };
  walk(value, '');
  return out;
}

/** At most `max` items, evenly spread, always keeping the first and the last. */
function sample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

/** Pointers checked per file: enough to cover every node of all but the largest files, in about a minute in all. */
const MAX_POINTERS_PER_FILE = 3000;

describe.skipIf(!present)('YAML position index = `yaml` package positions on the whole corpus', () => {
  it('the index answers exactly what the `yaml`-positioned document answers, on every file', () => {
    const { yaml, frontMatter } = present ? corpusYamlTexts() : { yaml: new Map<string, string>(), frontMatter: new Map<string, string>() };
    const files = new Map([...yaml, ...frontMatter]);
    const mismatches: string[] = [];
    const unindexed: string[] = [];
    let indexedFiles = 0;
    let pointers = 0;
    let answered = 0;
    let keyAnswered = 0;
    let bytes = 0;
    for (const [path, text] of files) {
      const quick = fastYamlValue(text);
      if (!quick) continue; // the full path positions with `yaml` itself
      const index = yamlPositionsOf(text);
      if (!index) {
        unindexed.push(path);
        continue;
      }
      indexedFiles++;
      bytes += text.length;
      const reference = parseYamlDocumentPositioned(path, text);
      const lines = reference.lines;
      const fast = parseYamlDocument(path, text); // what callers see: index, else `yaml`
      let fileMismatches = 0;
      const report = (msg: string): void => {
        if (fileMismatches++ < 3) mismatches.push(`${path} ${msg}`);
      };
      for (const ptr of sample(pointersOf(quick.value), MAX_POINTERS_PER_FILE)) {
        pointers++;
        const expected = reference.locate(ptr);
        const expectedKey = reference.locateKey(ptr);
        const r = index.locate(ptr);
        if (r) {
          answered++;
          const got = lines.range(r[0], r[1]);
          if (JSON.stringify(got) !== JSON.stringify(expected)) report(`locate ${ptr}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
        }
        const k = index.locateKey(ptr);
        if (k !== undefined) {
          keyAnswered++;
          const got = k === null ? undefined : lines.range(k[0], k[1]);
          if (JSON.stringify(got) !== JSON.stringify(expectedKey)) report(`locateKey ${ptr}: ${JSON.stringify(got)} != ${JSON.stringify(expectedKey)}`);
        }
        if (JSON.stringify(fast.locate(ptr)) !== JSON.stringify(expected) || JSON.stringify(fast.locateKey(ptr)) !== JSON.stringify(expectedKey)) {
          report(`document ${ptr}`);
        }
      }
    }
    expect(mismatches.slice(0, 40)).toEqual([]);
    // not vacuous: nearly every fast-path file is indexed, and the index itself answers nearly every pointer
    expect(indexedFiles).toBeGreaterThan(1000);
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(unindexed.length).toBeLessThan(indexedFiles * 0.02);
    expect(pointers).toBeGreaterThan(500_000);
    expect(answered).toBeGreaterThan(pointers * 0.97);
    expect(keyAnswered).toBeGreaterThan(pointers * 0.97);
    console.log(`position index: ${indexedFiles} files (${unindexed.length} not indexed), ${pointers} pointers, locate answered ${answered}, locateKey ${keyAnswered}`);
  }, 300_000);
});
