import type { Check } from '@spine-lint/core';
import relocationStateTransition from '../rules/relocation-state-transition.js';
import serviceStatusTransition from '../rules/service-status-transition.js';
import vmTargetStatusTransition from '../rules/vm-target-status-transition.js';

/** The transition checks. Add each new check module's default export here. */
export const transitionChecks: readonly Check[] = [relocationStateTransition, serviceStatusTransition, vmTargetStatusTransition];
