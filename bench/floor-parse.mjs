// The parse-only floor of the static benchmark: a node process that reads and parses exactly the
// files a `spine-lint check` run reads, with the same parsers, and does nothing else.
//   - files the catalog reads (`reads` of every check, through the layout): YAML with the same
//     `yaml` package and options as packages/core/src/workspace/yamlDocument.ts (parseAllDocuments
//     with a LineCounter, uniqueKeys, strict, then toJS); Markdown read and split into lines;
//   - every other YAML file directly under the syntax-scanned binding dirs (ops/bindings,
//     docs/governance): one js-yaml loadAll pass, as Workspace.checkSyntax does.
// Usage: node bench/floor-parse.mjs <root> <plan.json>   (plan: {yaml: [], markdown: [], text: [], scan: []})
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [root, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const require = createRequire(new URL('../packages/core/package.json', import.meta.url));
let sink = 0;
if (plan.yaml.length) {
  const { parseAllDocuments, LineCounter } = await import(require.resolve('yaml'));
  for (const f of plan.yaml) {
    const text = readFileSync(join(root, f), 'utf8');
    const docs = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true, strict: true });
    const list = Array.isArray(docs) ? docs : [];
    if (list[0] && list[0].errors.length === 0 && list[0].toJS({ maxAliasCount: 100 }) !== undefined) sink++;
  }
}
for (const f of [...plan.markdown, ...plan.text]) sink += readFileSync(join(root, f), 'utf8').split('\n').length > 0 ? 1 : 0;
if (plan.scan.length) {
  const jsyaml = require('js-yaml');
  for (const f of plan.scan) {
    const text = readFileSync(join(root, f), 'utf8');
    try {
      jsyaml.loadAll(text, () => sink++, { schema: jsyaml.CORE_SCHEMA, json: false });
    } catch {
      sink++;
    }
  }
}
if (sink < 0) console.log(sink);
