import type { Check } from '@spine-lint/core';

/** The transition checks. Add each new check module's default export here. */
export const transitionChecks: readonly Check[] = [];
