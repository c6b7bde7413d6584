import type { Check } from '@spine-lint/core';
import { driftChecks } from './catalog/drift.js';
import { infraChecks } from './catalog/infra.js';
import { liveChecks } from './catalog/live.js';
import { relocationChecks } from './catalog/relocation.js';
import { transitionChecks } from './catalog/transition.js';

/**
 * The catalog: every spine check, one module each under `rules/`, listed by group in `catalog/`.
 * `spine-lint list`, the docs test and the runner all read this list.
 */
export const catalog: readonly Check[] = [...relocationChecks, ...driftChecks, ...liveChecks, ...transitionChecks, ...infraChecks];
