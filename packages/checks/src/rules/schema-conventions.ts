import { boundedRegExp, defineCheck, pointer, type PathSegment } from '@spine-lint/core';
import { asArray, asMap, optScalar } from '../bindings/util.js';

const strings = (v: unknown): string[] => (asArray(v) ?? []).map(optScalar).filter((s): s is string => s !== undefined);

export interface SchemaConventionsOptions {
  /** Repository paths audited besides `policy.always_validate_files` (a pure check has no git). */
  changedFiles: readonly string[];
}

const DEFAULT_OPTIONS: SchemaConventionsOptions = { changedFiles: [] };

/** The reference's pattern, used when the binding names none. */
const DEFAULT_ISO_8601 = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T][0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$';
/** Longer values are not dates (an ISO date-time with offset and fraction is under 40 characters). */
const MAX_DATE_LENGTH = 64;

/**
 * D129 spine-schema-conventions-lock (spec §2.18): status vocabulary, ISO dates and disallowed alias keys
 * in the audited bindings. The reference audits git-staged files plus `policy.always_validate_files`;
 * here the changed files come from the `changedFiles` option (a pure check has no git).
 */
export default defineCheck({
  id: 'schema-conventions',
  aliases: ['D129'],
  title: 'Schema conventions',
  description:
    'In policy.always_validate_files of spine.schema.conventions.yaml (plus the `changedFiles` option), every `status` value is in ' +
    'status_rules.allowed_values, every date field matches date_rules.iso_8601_regex, and no disallowed_alias_keys key is used (unless legacy-excepted for ' +
    'that file).',
  severity: 'error',
  kind: 'static',
  reads: ['spine.schema.conventions'],
  // the files of policy.always_validate_files are validated
  readsListedIn: ['spine.schema.conventions'],
  fixHint: 'Use a status from status_rules.allowed_values, an ISO date, and the canonical key (id, description) instead of the alias.',
  ports: 'surfaces/verify/d129-spine-schema-conventions-lock.sh',
  optionsSchema: {
    type: 'object',
    properties: {
      changedFiles: {
        type: 'array',
        items: { type: 'string' },
        description: 'Paths audited besides `policy.always_validate_files` (e.g. `git diff --cached --name-only`); only `ops/bindings/**/*.y(a)ml` count.',
      },
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    missingContract: 'missing contract: {{file}}.',
    badStatus: "{{file}} :: status '{{value}}' not in allowed_values.",
    badDate: "{{file}} :: {{key}} '{{value}}' is not an ISO-8601 date.",
    unsafeDatePattern: 'date_rules.iso_8601_regex is not run: {{reason}}. Dates are not checked until it is a bounded pattern such as ^[0-9]{4}-[0-9]{2}-[0-9]{2}$.',
    disallowedKey: "{{file}} :: disallowed key '{{key}}'.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('spine.schema.conventions')) {
      ctx.report({ messageId: 'missingContract', data: { file: ws.pathOf('spine.schema.conventions') }, file: 'spine.schema.conventions' });
      return;
    }
    const c = asMap(ws.yaml('spine.schema.conventions')?.value) ?? {};
    const policy = asMap(c.policy);
    const statusRules = asMap(c.status_rules);
    const dateRules = asMap(c.date_rules);
    const fieldRules = asMap(c.field_rules);
    const statusField = optScalar(statusRules?.canonical_field) ?? 'status';
    const allowed = new Set(strings(statusRules?.allowed_values));
    const dateKeys = new Set([...strings(dateRules?.canonical_fields), ...strings(dateRules?.accepted_legacy_fields)]);
    // The binding's pattern runs on every date value: compiled only when its matching time is
    // bounded (a nested quantifier in a pull request must not hang the gate); otherwise a finding on
    // it, and no date is judged by a pattern that was not run.
    const isoSource = optScalar(dateRules?.iso_8601_regex);
    const compiled = boundedRegExp(isoSource ?? DEFAULT_ISO_8601);
    const iso = compiled.ok ? compiled.regex : undefined;
    if (!compiled.ok) {
      ctx.report({ messageId: 'unsafeDatePattern', data: { reason: compiled.reason }, file: 'spine.schema.conventions', pointer: pointer('date_rules', 'iso_8601_regex') });
    }
    const disallowed = strings(fieldRules?.disallowed_alias_keys);
    const exceptions = new Map<string, Set<string>>();
    for (const e of asArray(asMap(c.legacy_alias_rules)?.legacy_exceptions) ?? []) {
      const m = asMap(e);
      const f = optScalar(m?.file);
      if (f) exceptions.set(f, new Set(strings(m?.allowed_keys)));
    }
    const changed = ctx.options.changedFiles;
    const files = [...new Set([...strings(policy?.always_validate_files), ...changed])].filter((f) => /^ops\/bindings\/.*\.ya?ml$/.test(f));

    for (const file of files) {
      const value = ws.yaml(file)?.value;
      if (value === undefined) continue;
      const excepted = exceptions.get(file) ?? new Set<string>();
      const walk = (node: unknown, path: PathSegment[]): void => {
        if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
        const m = asMap(node);
        if (!m) return;
        for (const [key, v] of Object.entries(m)) {
          const at = [...path, key];
          if (disallowed.includes(key) && !excepted.has(key)) ctx.report({ messageId: 'disallowedKey', data: { file, key }, file, pointer: pointer(...at) });
          if (key === statusField && typeof v === 'string' && allowed.size > 0 && !allowed.has(v)) ctx.report({ messageId: 'badStatus', data: { file, value: v }, file, pointer: pointer(...at) });
          if (dateKeys.has(key) && iso && (typeof v === 'string' || v instanceof Date)) {
            const s = typeof v === 'string' ? v : v.toISOString().slice(0, 10);
            // A value far longer than any date is not one; the pattern never sees it, the message shows its start.
            if (s.length > MAX_DATE_LENGTH || !iso.test(s))
              ctx.report({ messageId: 'badDate', data: { file, key, value: s.length > MAX_DATE_LENGTH ? `${s.slice(0, 40)}… (${s.length} characters)` : s }, file, pointer: pointer(...at) });
          }
          walk(v, at);
        }
      };
      walk(value, []);
    }
  },
});
