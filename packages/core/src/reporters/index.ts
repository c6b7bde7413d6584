import { githubReporter } from './github.js';
import { gitlabReporter } from './gitlab.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { sarifReporter } from './sarif.js';
import { stylishReporter } from './stylish.js';
import type { Reporter } from './types.js';

export type { Reporter, ReporterContext } from './types.js';
export { escapeTerminal, terminalSafeJson, escapeXml, escapeWorkflowData, escapeWorkflowProperty, escapeMarkdownCell } from './escape.js';
export { sarifReporter, artifactUri, SARIF_SCHEMA_URI, FINGERPRINT_KEY, LINE_HASH_KEY, SRCROOT, DEFAULT_SARIF_CATEGORY, sarifCategoryId, ruleName, lineHashes } from './sarif.js';
export { junitReporter, testcaseName } from './junit.js';
export { gitlabReporter, GITLAB_SEVERITY, type CodeQualityIssue, type CodeQualitySeverity } from './gitlab.js';
export { ciCheckoutFor, checkoutPrefix, rootOf } from './paths.js';
export { stylishReporter } from './stylish.js';
export { jsonReporter } from './json.js';
export { githubReporter, githubStepSummary, annotation as githubAnnotation, groupAnnotation as githubGroupAnnotation, ANNOTATIONS_PER_LEVEL } from './github.js';
export { groupByLocation, checkLabel, type FindingGroup } from './group.js';

/** Reporters by format name. */
export const reporters: Record<string, Reporter> = {
  stylish: stylishReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  github: githubReporter,
  gitlab: gitlabReporter,
};

export const reporterNames = (): string[] => Object.keys(reporters);

/** The reporter of a `--format` name; own names only (`constructor` or `toString` is no format). */
export const reporterFor = (name: string): Reporter | undefined => (Object.hasOwn(reporters, name) ? reporters[name] : undefined);
