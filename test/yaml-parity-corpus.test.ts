import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseYamlDocument } from '@spine-lint/core';
import { fastYamlValue } from '../packages/core/src/workspace/yamlDocument.js';
import './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping

/**
 * The fast YAML path (js-yaml with the `yaml` package's core schema) against the `yaml` package
 * itself, on every distinct YAML text of the real corpus (snapshots and whole trees, deduplicated
 * by content): wherever the fast path gives a value, it is the value `yaml`'s `toJS()` gives, and
 * the file has problems exactly when `yaml` finds some. Markdown front matter (parsed with the
 * same function) is included.
 */
const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const present = existsSync(CORPUS);

function corpusTexts(): { yaml: Map<string, string>; frontMatter: Map<string, string> } {
  const yaml = new Map<string, string>(); // content hash → first path
  const frontMatter = new Map<string, string>();
  const texts = new Map<string, string>(); // path → text
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name) || /\.md$/i.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        const isYaml = /\.ya?ml$/i.test(entry.name);
        const body = isYaml ? text : frontMatterOf(text);
        if (body === undefined) continue;
        const hash = createHash('sha1').update(body).digest('hex');
        const seen = isYaml ? yaml : frontMatter;
        if (!seen.has(hash)) {
          seen.set(hash, path);
          texts.set(path, body);
        }
      }
    }
  };
  walk(CORPUS);
  const resolve = (m: Map<string, string>): Map<string, string> => new Map([...m.values()].map((p) => [p, texts.get(p)!]));
  return { yaml: resolve(yaml), frontMatter: resolve(frontMatter) };
}

/** The front matter's YAML text as MarkdownDocument builds it (an empty first line keeps line numbers). */
function frontMatterOf(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0]?.trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  return close === -1 ? undefined : ['', ...lines.slice(1, close)].join('\n');
}

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
  const { yaml, frontMatter } = present ? corpusTexts() : { yaml: new Map<string, string>(), frontMatter: new Map<string, string>() };

  for (const [label, files] of [
    ['YAML files', yaml],
    ['Markdown front matter', frontMatter],
  ] as const) {
    it(`${label}: same value wherever the fast path answers, same problems everywhere`, () => {
      const rel = (p: string): string => p.slice(CORPUS.length);
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
          if (ref.problems || !isDeepStrictEqual(quick.value, ref.value)) valueMismatch.push(rel(path));
        } else if (!ref.problems && ref.value !== undefined && ref.value !== null) cleanButSlow.push(rel(path));
        // what callers see: the document the workspace builds
        const doc = parseYamlDocument(path, text);
        if (doc.problems.length > 0 !== ref.problems) problemMismatch.push(`${rel(path)}: ${doc.problems.map((p) => p.code).join(',') || 'none'}`);
        else if (!ref.problems && !isDeepStrictEqual(doc.value, ref.value)) valueMismatch.push(`${rel(path)} (document)`);
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
