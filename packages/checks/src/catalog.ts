import type { Check } from '@spine-lint/core';

/**
 * The catalog: every spine check, one module each under `rules/`. Add a check by importing it
 * here; `spine-lint list`, the docs test and the runner all read this list.
 */
export const catalog: readonly Check[] = [];
