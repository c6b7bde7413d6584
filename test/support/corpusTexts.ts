import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from './corpus.js';

/** The front matter's YAML text as MarkdownDocument builds it (an empty first line keeps line numbers). */
export function frontMatterOf(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0]?.trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  return close === -1 ? undefined : ['', ...lines.slice(1, close)].join('\n');
}

/**
 * Every distinct YAML text of the corpus (snapshots and whole trees, deduplicated by content), and
 * every distinct Markdown front matter, by the path (relative to the corpus) where each first
 * appears. Read once per test file.
 */
export function corpusYamlTexts(): { yaml: Map<string, string>; frontMatter: Map<string, string> } {
  const yaml = new Map<string, string>();
  const frontMatter = new Map<string, string>();
  const seen = { yaml: new Set<string>(), frontMatter: new Set<string>() };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name) || /\.md$/i.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        const kind = /\.ya?ml$/i.test(entry.name) ? 'yaml' : 'frontMatter';
        const body = kind === 'yaml' ? text : frontMatterOf(text);
        if (body === undefined) continue;
        const hash = createHash('sha1').update(body).digest('hex');
        if (seen[kind].has(hash)) continue;
        seen[kind].add(hash);
        (kind === 'yaml' ? yaml : frontMatter).set(path.slice(CORPUS.length + 1), body);
      }
    }
  };
  walk(CORPUS);
  return { yaml, frontMatter };
}
