import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseYamlDocument } from '@spine-lint/core';
import { fastYamlValue } from '../packages/core/src/workspace/yamlDocument.js';
import { corpusPresent as present } from './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping
import { corpusYamlTexts } from './support/corpusTexts.js';

/**
 * The fast YAML path (js-yaml with the `yaml` package's core schema) against the `yaml` package
 * itself, on every distinct YAML text of the real corpus (snapshots and whole trees, deduplicated
 * by content): wherever the fast path gives a value, it is the value `yaml`'s `toJS()` gives, and
 * the file has problems exactly when `yaml` finds some. Markdown front matter (parsed with the
 * same function) is included.
 */
/** The `yaml` package alone, as the full path uses it: value of the first document, and whether it finds problems. */
function reference(text: string): { problems: boolean; value: unknown } {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1 || list.some((d) => d.errors.length > 0)) return { problems: true, value: undefined };
  try {
    return { problems: false, value: list[0]?.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { problems: true, value: undefined };
  }
}

describe.skipIf(!present)('YAML fast path = `yaml` package on the whole corpus', () => {
  const { yaml, frontMatter } = present ? corpusYamlTexts() : { yaml: new Map<string, string>(), frontMatter: new Map<string, string>() };

  for (const [label, files] of [
    ['YAML files', yaml],
    ['Markdown front matter', frontMatter],
  ] as const) {
    it(`${label}: same value wherever the fast path answers, same problems everywhere`, () => {
      const valueMismatch: string[] = [];
      const problemMismatch: string[] = [];
      const cleanButSlow: string[] = [];
      let fast = 0;
      let bytes = 0;
      for (const [path, text] of files) {
        bytes += text.length;
        const ref = reference(text);
        const quick = fastYamlValue(text);
        if (quick) {
          fast++;
          if (ref.problems || !isDeepStrictEqual(quick.value, ref.value)) valueMismatch.push(path);
        } else if (!ref.problems && ref.value !== undefined && ref.value !== null) cleanButSlow.push(path);
        // what callers see: the document the workspace builds
        const doc = parseYamlDocument(path, text);
        if (doc.problems.length > 0 !== ref.problems) problemMismatch.push(`${path}: ${doc.problems.map((p) => p.code).join(',') || 'none'}`);
        else if (!ref.problems && !isDeepStrictEqual(doc.value, ref.value)) valueMismatch.push(`${path} (document)`);
      }
      expect(valueMismatch).toEqual([]);
      expect(problemMismatch).toEqual([]);
      // On real data no clean file needs the slow path (the shapes it exists for do not occur).
      expect(cleanButSlow).toEqual([]);
      // not vacuous: the corpus is large and the fast path answered for nearly all of it
      if (label === 'YAML files') {
        expect(files.size).toBeGreaterThan(1000);
        expect(bytes).toBeGreaterThan(20_000_000);
        expect(fast).toBeGreaterThan(files.size * 0.95);
      } else {
        expect(files.size).toBeGreaterThan(100);
        expect(fast).toBeGreaterThan(files.size * 0.9);
      }
    }, 300_000);
  }
});
