// The parse-only floor of the static benchmark: a node process that reads and parses exactly the
// files a `spine-lint check` run reads, with the SAME code the CLI uses for values, and does nothing
// else (no checks, no schema validation, no report, no positions).
//   - YAML (files the catalog reads by name, and every other YAML file of the syntax-scanned binding
//     dirs ops/bindings and docs/governance): read, strict UTF-8 decode, then the built core's
//     `parseYamlDocument` (packages/core/dist/workspace/yamlDocument.js), which is what
//     `Workspace.yaml()` / `text()` / `checkSyntax()` run: the flow-depth guard, the js-yaml value
//     (`fastYamlValue`), and the positioned `yaml` parse only for a text the fast path rejects
//     (syntax error, anchors, several documents, a divergent shape) — the same files the CLI sends
//     there. The positioned index of a fast-path file is NOT built: the CLI builds it lazily, only
//     for files with findings, so it is no part of the floor.
//   - Markdown and other files the catalog reads: read, decoded and split into lines (the CLI does
//     at least this: front matter, and tables for the files a check asks `markdown()` of).
// The floor imports only the core's YAML module (and, through it, js-yaml and yaml), not the whole
// core, catalog or CLI: module loading of those is part of what the CLI costs above the floor.
// Usage: node bench/floor-parse.mjs <root> <plan.json>   (plan: {yaml: [], markdown: [], text: [], scan: []})
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const core = new URL('../packages/core/dist/workspace/', import.meta.url);
const { decodeUtf8 } = await import(new URL('decode.js', core).href);
let sink = 0;
const yamlFiles = [...plan.yaml, ...plan.scan];
if (yamlFiles.length) {
  const { parseYamlDocument } = await import(new URL('yamlDocument.js', core).href);
  for (const f of yamlFiles) {
    const decoded = decodeUtf8(readFileSync(join(root, f)));
    if (decoded.problem) continue;
    const doc = parseYamlDocument(f, decoded.text, { maxAliasCount: 100 });
    if (doc.value !== undefined || doc.problems.length) sink++;
  }
}
for (const f of [...plan.markdown, ...plan.text]) {
  const decoded = decodeUtf8(readFileSync(join(root, f)));
  if (decoded.text.split('\n').length > 0) sink++;
}
if (sink < 0) console.log(sink);
