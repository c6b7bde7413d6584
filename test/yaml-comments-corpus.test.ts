import { describe, expect, it } from 'vitest';
import { YamlCommentScanner } from '../packages/core/src/yamlComments.js';
import { lexerComments } from '../packages/core/test/yamlLexerComments.js';
import { corpusPresent } from './support/corpus.js';
import { corpusYamlTexts } from './support/corpusTexts.js';

/**
 * The comment scanner of inline suppressions (`YamlCommentScanner`, a port of the `yaml` lexer)
 * against the `yaml` package's own lexer, on every distinct YAML text of the corpus (whole files
 * and Markdown front matter): the same comment offsets, file by file.
 */
describe.skipIf(!corpusPresent)('YAML comment scanner = the yaml lexer on the whole corpus', () => {
  it('finds exactly the comment tokens the yaml lexer finds, in every file', () => {
    const { yaml, frontMatter } = corpusYamlTexts();
    const differences: string[] = [];
    let comments = 0;
    for (const [path, text] of [...yaml, ...frontMatter]) {
      const scanner = new YamlCommentScanner(text);
      scanner.scanUntil(Infinity);
      const expected = lexerComments(text);
      comments += expected.length;
      if (JSON.stringify(scanner.comments) !== JSON.stringify(expected)) differences.push(path);
    }
    expect(differences.slice(0, 20)).toEqual([]);
    expect(yaml.size).toBeGreaterThan(1000);
    expect(comments).toBeGreaterThan(1000);
  }, 120_000);
});
