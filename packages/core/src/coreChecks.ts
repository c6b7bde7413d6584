import type { CheckMeta } from './check.js';

/**
 * Checks the engine itself reports: problems reading files, schema violations, suppression
 * directives and checks that crashed. They appear in `list`, can be configured like any check,
 * and have docs pages.
 */
export const parseCheck: CheckMeta = {
  id: 'parse',
  title: 'Bindings parse',
  description:
    'Every binding and every YAML file under the binding directories reads as UTF-8 and parses: no syntax errors, duplicate keys, alias bombs, extra documents, or files over the size limit.',
  severity: 'error',
  kind: 'static',
  reads: [],
  fixHint: 'Fix the file at the position shown; a file that does not parse is invisible to every other check.',
  messages: { problem: '{{message}}' },
};

export const schemaCheck: CheckMeta = {
  id: 'schema',
  title: 'Bindings match their JSON Schema',
  description: 'Each binding with a schema in schemas/ has the shape the schema describes: required keys, types, enumerations.',
  severity: 'error',
  kind: 'static',
  reads: [],
  fixHint: 'Change the value at the position shown to the type or value the schema expects.',
  messages: { violation: '{{message}}' },
};

export const suppressionCheck: CheckMeta = {
  id: 'suppression',
  title: 'Inline suppressions are justified and used',
  description: 'Every `spine-lint-disable-next-line` directive names known checks, gives a reason after `--`, and suppresses at least one finding.',
  severity: 'warning',
  kind: 'static',
  reads: [],
  fixHint: "Write directives as '# spine-lint-disable-next-line <check-id> -- <reason>' and delete those that no longer suppress anything.",
  messages: {
    missingReason: "Suppression of '{{checks}}' has no reason; write '-- <why>' after the check ids. It suppresses nothing until it does.",
    unknownCheck: "Suppression names '{{check}}', which is not a known check id or alias.",
    unused: "Unused suppression of '{{check}}': no finding of that check is on line {{target}}. Delete the directive.",
    noTarget: 'Suppression directive is not followed by any line to suppress.',
  },
};

export const checkErrorCheck: CheckMeta = {
  id: 'check-error',
  title: 'A check failed to run',
  description: 'A check threw an exception instead of reporting findings. This is a bug in the check, reported so that it is never a silent pass.',
  severity: 'error',
  kind: 'static',
  reads: [],
  fixHint: 'Report the message to the check author; run with the check turned off to continue meanwhile.',
  messages: { crashed: "Check '{{check}}' crashed: {{error}}" },
};

/** Metadata of the pseudo-check reporting baseline entries that no longer match. */
export const baselineCheck: CheckMeta<'unused-entry'> = {
  id: 'baseline',
  title: 'Baseline entries that no longer match',
  description: 'A baseline entry whose finding is gone: the debt was paid; remove the entry so the baseline shrinks.',
  severity: 'warning',
  kind: 'static',
  reads: [],
  fixHint: 'Run the same command with --update-baseline to rewrite the baseline without stale entries.',
  messages: {
    'unused-entry': "Baseline entry no longer matches: {{check}} ({{count}}× fingerprint {{fingerprint}}) — '{{message}}' is fixed; remove it from {{baseline}}.",
  },
};

/**
 * The pull-request gate's own configuration changed (`check --base`): the run used the base
 * revision's configuration, plugins and baseline, and says so, because a pull request must not be
 * able to switch its own gate off.
 */
export const configChangeCheck: CheckMeta<'changed' | 'added' | 'removed' | 'baseline-changed'> = {
  id: 'config-change',
  title: "The pull request changes the gate's configuration",
  description:
    "With --base, the configuration (checks, severities, options, paths, plugins, probes, the baseline) is the base revision's, not the pull request's: a " +
    'change to .spine-lint.yaml or to the baseline is reported here and takes effect once merged; a changed plugin file is refused (exit 2).',
  severity: 'error',
  kind: 'static',
  reads: [],
  fixHint: 'Review and merge the configuration change on its own (the gate then uses it), or set config-change to warning in the base configuration.',
  messages: {
    changed: "This pull request changes the gate's configuration {{file}} (first at line {{line}}); the gate ran with the configuration of {{base}}. The change takes effect once merged.",
    added: "This pull request adds the gate's configuration {{file}}; the gate ran with the configuration of {{base}} ({{baseHas}}). It takes effect once merged.",
    removed: "This pull request removes the gate's configuration {{file}}; the gate ran with the configuration of {{base}}.",
    'baseline-changed': 'This pull request changes the baseline {{file}} (first at line {{line}}); the gate hid only what the baseline of {{base}} lists. The change takes effect once merged.',
  },
};

export const CORE_CHECKS: readonly CheckMeta[] = [parseCheck, schemaCheck, suppressionCheck, checkErrorCheck, baselineCheck, configChangeCheck];
