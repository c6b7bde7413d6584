/**
 * The package boundaries, read from the sources: a rule imports no other rule (shared logic lives in
 * shared/ or in the binding views), only the catalog imports rules, and the core imports nothing
 * from the catalog or the CLI. The rules are pure functions over specifiers, tested on planted
 * violations too, so that the test can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** Every module specifier `text` imports, re-exports, `import()`s or `require`s (comments and strings are not imports). */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** A relative specifier resolved against `from` (both relative to one root, posix); `undefined` for a bare one. */
const resolveRelative = (from: string, specifier: string): string | undefined => (specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(from), specifier)) : undefined);

/**
 * Why the rule module `file` (relative to packages/checks/src) may not import `specifier`, or
 * `undefined` when it may: `@spine-lint/core`, or a module of src/ that is not a rule, not the
 * catalog and not the package entry (which imports the catalog).
 */
export function ruleImportViolation(file: string, specifier: string): string | undefined {
  if (specifier === '@spine-lint/core') return undefined;
  const target = resolveRelative(file, specifier);
  if (target === undefined) return `${file}: imports '${specifier}' (a rule imports only @spine-lint/core and the package's non-rule modules)`;
  if (target.startsWith('../')) return `${file}: imports '${specifier}', outside packages/checks/src`;
  if (target.startsWith('rules/')) return `${file}: imports the rule '${specifier}' (move what rules share to shared/ or bindings/)`;
  if (target.startsWith('catalog') || target === 'index.js') return `${file}: imports '${specifier}', which imports the rules`;
  return undefined;
}

/** Why the non-rule module `file` of packages/checks/src may not import `specifier`: only the catalog imports rules. */
export function catalogOnlyViolation(file: string, specifier: string): string | undefined {
  if (file.startsWith('rules/') || file.startsWith('catalog')) return undefined;
  const target = resolveRelative(file, specifier);
  return target?.startsWith('rules/') ? `${file}: imports the rule '${specifier}' (only the catalog imports rules)` : undefined;
}

/** Why the core module `file` (relative to packages/) may not import `specifier`: the core depends on neither the catalog nor the CLI. */
export function coreImportViolation(file: string, specifier: string): string | undefined {
  if (/^(@spine-lint\/(checks|cli)|spine-lint)(\/|$)/.test(specifier)) return `${file}: imports '${specifier}'`;
  const target = resolveRelative(file, specifier);
  if (target !== undefined && !target.startsWith('core/src/')) return `${file}: imports '${specifier}', outside packages/core/src`;
  return undefined;
}

/** Source files under `dir` (relative to packages/), recursively, as paths relative to packages/. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(posix.join(PACKAGES, dir), { recursive: true, encoding: 'utf8' })
    .map((p) => posix.join(dir, p.split('\\').join('/')))
    .filter((p) => /\.(c|m)?ts$/.test(p) && !p.endsWith('.d.ts'))
    .sort();
}

/** Every violation `rule` finds in the files under `dir`; `relativeTo` is the root the rule's paths are relative to. */
function violations(dir: string, relativeTo: string, rule: (file: string, specifier: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const path of sourcesUnder(dir)) {
    const file = posix.relative(relativeTo, path);
    for (const specifier of importSpecifiers(readFileSync(posix.join(PACKAGES, path), 'utf8'))) {
      const why = rule(file, specifier);
      if (why) out.push(why);
    }
  }
  return out;
}

describe('import rules (on planted imports)', () => {
  it('reads imports, re-exports, dynamic imports and requires, not comments or strings', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from '../b.js';",
      "export * from './c.js';",
      "const d = await import('d');",
      "const e = require('e');",
      "// import f from './f.js';",
      'const g = "import g from \'./g.js\'";',
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b.js', './c.js', 'd', 'e']);
  });

  it('a rule importing a rule, the catalog, a package or a file outside src is a violation', () => {
    const file = 'rules/vm-target-status-transition.ts';
    for (const specifier of ['./relocation-state-transition.js', '../rules/x.js', '../catalog.js', '../catalog/drift.js', '../index.js', 'yaml', 'node:fs', '../../test/x.js']) {
      expect(ruleImportViolation(file, specifier), specifier).toBeDefined();
    }
    for (const specifier of ['@spine-lint/core', '../bindings/relocationPlan.js', '../bindings/drift/common.js', '../shared/relocation.js', '../layout.js', '../relocationPhase.js']) {
      expect(ruleImportViolation(file, specifier), specifier).toBeUndefined();
    }
  });

  it('only the catalog imports rules', () => {
    expect(catalogOnlyViolation('relocationPhase.ts', './rules/relocation-parity.js')).toBeDefined();
    expect(catalogOnlyViolation('shared/relocation.ts', '../rules/relocation-state-transition.js')).toBeDefined();
    expect(catalogOnlyViolation('catalog/relocation.ts', '../rules/relocation-parity.js')).toBeUndefined();
    expect(catalogOnlyViolation('shared/relocation.ts', '../bindings/relocationPlan.js')).toBeUndefined();
  });

  it('the core importing the catalog or the CLI is a violation', () => {
    for (const specifier of ['@spine-lint/checks', '@spine-lint/cli/x', 'spine-lint', '../../../checks/src/index.js', '../../../cli/src/bin.js', '../../package.json']) {
      expect(coreImportViolation('core/src/workspace/x.ts', specifier), specifier).toBeDefined();
    }
    for (const specifier of ['./source.js', '../decide.cjs', 'node:path', 'yaml', '@spine-lint/core']) {
      expect(coreImportViolation('core/src/workspace/x.ts', specifier), specifier).toBeUndefined();
    }
  });
});

describe('the sources keep the import rules', () => {
  it('finds the rules to read', () => {
    expect(sourcesUnder('checks/src/rules').length).toBeGreaterThan(30);
  });

  it('no rule imports another rule, or anything but @spine-lint/core and the non-rule modules', () => {
    expect(violations('checks/src/rules', 'checks/src', ruleImportViolation)).toEqual([]);
  });

  it('no module of the catalog package but the catalog imports a rule', () => {
    expect(violations('checks/src', 'checks/src', catalogOnlyViolation)).toEqual([]);
  });

  it('the core imports nothing from the catalog or the CLI', () => {
    expect(violations('core/src', '', coreImportViolation)).toEqual([]);
  });
});
