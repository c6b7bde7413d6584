import type { Check } from '@spine-lint/core';

/** The relocation checks. Add each new check module's default export here. */
export const relocationChecks: readonly Check[] = [];
