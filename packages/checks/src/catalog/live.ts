import type { Check } from '@spine-lint/core';
import backupFreshness from '../rules/backup-freshness.js';
import composeStacksRunning from '../rules/compose-stacks-running.js';
import healthEndpoints from '../rules/health-endpoints.js';
import relocationPreflight from '../rules/relocation-preflight.js';
import vmAddressDrift from '../rules/vm-address-drift.js';
import vmReadiness from '../rules/vm-readiness.js';

/** The live checks: run only by `spine-lint probe`, never by `check`. */
export const liveChecks: readonly Check[] = [healthEndpoints, vmReadiness, backupFreshness, vmAddressDrift, composeStacksRunning, relocationPreflight];
