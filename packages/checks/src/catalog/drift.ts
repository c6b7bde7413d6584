import type { Check } from '@spine-lint/core';

/** The drift checks. Add each new check module's default export here. */
export const driftChecks: readonly Check[] = [];
