import { describe, expect, it } from 'vitest';
import { applyEdits, diagnosticsOf, type Check, type Diagnostic, type FindingData } from '@spine-lint/core';
import { defaultPaths, recordIdFields } from '../../src/layout.js';

/** An expected finding: message id, optional data subset and exact position. */
export interface ExpectedFinding {
  messageId: string;
  data?: FindingData;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: 'error' | 'warning';
  file?: string;
  /** Each suggestion of the finding, in order: its description and the files after applying it alone. */
  suggestions?: { description: string; output: Record<string, string> }[];
}

export interface CheckCase {
  name: string;
  /** Files by repository path (or by binding name from the default layout). */
  files: Record<string, string>;
  baseFiles?: Record<string, string>;
  now?: Date;
  options?: Record<string, unknown>;
}

export interface InvalidCase extends CheckCase {
  errors: ExpectedFinding[];
  /**
   * The files after every fix of the case is applied (ESLint's `output`), by binding name or path:
   * required when a finding has a fix, so each fix is shown byte for byte; files not named must be
   * left unchanged by the fixes.
   */
  output?: Record<string, string>;
}

/** Each file's text after applying every fix of `found` (one pass, as `--fix` does first). */
export function fixedFiles(files: Record<string, string>, found: readonly Diagnostic[]): Record<string, string> {
  const byFile = new Map<string, Diagnostic['fix'][]>();
  for (const d of found) for (const e of d.fix?.edits ?? []) byFile.set(e.file, [...(byFile.get(e.file) ?? []), { description: d.fix!.description, edits: [e] }]);
  const out: Record<string, string> = {};
  for (const [file, fixes] of byFile) {
    const before = files[file];
    if (before === undefined) throw new Error(`a fix edits ${file}, which is not a file of the case`);
    const r = applyEdits(
      before,
      fixes.flatMap((f) => f!.edits),
    );
    if (!r.ok) throw new Error(`fix of ${file}: ${r.reason}`);
    out[file] = r.text;
  }
  return out;
}

const toPaths = (files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([k, v]) => [(defaultPaths as Record<string, string>)[k] ?? k, v]));

/** Run a check on a case; binding names in `files` are mapped through the default layout. */
export function runCase(check: Check, c: CheckCase): Diagnostic[] {
  return diagnosticsOf(check, {
    files: toPaths(c.files),
    baseFiles: c.baseFiles ? toPaths(c.baseFiles) : undefined,
    paths: defaultPaths,
    recordIdFields,
    now: c.now,
    options: c.options,
  }).filter((d) => d.checkId === check.id || d.checkId === 'check-error');
}

/**
 * ESLint RuleTester, for spine checks: every valid case yields no finding of the check; every
 * invalid case yields exactly the expected findings (message id, data subset, exact positions).
 */
export function checkTester(check: Check, cases: { valid: CheckCase[]; invalid: InvalidCase[] }): void {
  describe(check.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        expect(runCase(check, c).map((d) => `${d.line}:${d.column} ${d.messageId} ${d.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const actual = runCase(check, c);
        expect(actual.map((d) => d.checkId)).not.toContain('check-error');
        expect(actual.length, actual.map((d) => `${d.line}:${d.column} ${d.messageId} ${d.message}`).join('\n')).toBe(c.errors.length);
        c.errors.forEach((expectedFinding, i) => {
          let expected = expectedFinding;
          const d = actual[i]!;
          const picked: Record<string, unknown> = { messageId: d.messageId };
          for (const k of ['line', 'column', 'endLine', 'endColumn', 'severity', 'file'] as const) if (expected[k] !== undefined) picked[k] = d[k];
          if (expected.data) picked.data = Object.fromEntries(Object.keys(expected.data).map((k) => [k, d.data[k]]));
          if (expected.suggestions) {
            picked.suggestions = (d.suggestions ?? []).map((sg) => ({ description: sg.description, output: fixedFiles(toPaths(c.files), [{ ...d, fix: sg }]) }));
            expected = { ...expected, suggestions: expected.suggestions.map((sg) => ({ ...sg, output: toPaths(sg.output) })) };
          } else expect(d.suggestions ?? [], 'the finding has suggestions: list them in the case').toEqual([]);
          expect(picked).toEqual(expected);
        });
        const fixed = fixedFiles(toPaths(c.files), actual);
        if (c.output === undefined) expect(Object.keys(fixed), 'the findings have fixes: give the case an `output`').toEqual([]);
        else expect(fixed).toEqual(toPaths(c.output));
      });
    }
  });
}
