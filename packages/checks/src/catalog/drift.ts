import type { Check } from '@spine-lint/core';
import onboardingRegistration from '../rules/onboarding-registration.js';
import sshLifecycleParity from '../rules/ssh-lifecycle-parity.js';
import servicesHealthParity from '../rules/services-health-parity.js';
import crossRegistryCompleteness from '../rules/cross-registry-completeness.js';
import vmIpParity from '../rules/vm-ip-parity.js';
import sshTargetLifecycle from '../rules/ssh-target-lifecycle.js';
import ssotFreshness from '../rules/ssot-freshness.js';
import vmCreationGovernance from '../rules/vm-creation-governance.js';

/** The drift checks. Add each new check module's default export here. */
export const driftChecks: readonly Check[] = [vmCreationGovernance, sshLifecycleParity, onboardingRegistration, servicesHealthParity, crossRegistryCompleteness, vmIpParity, sshTargetLifecycle, ssotFreshness];
