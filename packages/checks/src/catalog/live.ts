import type { Check } from '@spine-lint/core';

/** The live checks. Add each new check module's default export here. */
export const liveChecks: readonly Check[] = [];
