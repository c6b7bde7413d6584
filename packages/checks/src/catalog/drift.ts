import type { Check } from '@spine-lint/core';
import onboardingRegistration from '../rules/onboarding-registration.js';
import sshLifecycleParity from '../rules/ssh-lifecycle-parity.js';
import servicesHealthParity from '../rules/services-health-parity.js';
import crossRegistryCompleteness from '../rules/cross-registry-completeness.js';
import vmIpParity from '../rules/vm-ip-parity.js';
import sshTargetLifecycle from '../rules/ssh-target-lifecycle.js';
import sshTailscaleDuplicates from '../rules/ssh-tailscale-duplicates.js';
import namingConsistency from '../rules/naming-consistency.js';
import infraCoreServiceParity from '../rules/infra-core-service-parity.js';
import siteTopologyParity from '../rules/site-topology-parity.js';
import schemaConventions from '../rules/schema-conventions.js';
import sshUserParity from '../rules/ssh-user-parity.js';
import ssotFreshness from '../rules/ssot-freshness.js';
import vmCreationGovernance from '../rules/vm-creation-governance.js';
import healthEndpointRegistryParity from '../rules/health-endpoint-registry-parity.js';
import backupInventoryIntegrity from '../rules/backup-inventory-integrity.js';
import deviceIdentityTables from '../rules/device-identity-tables.js';
import vmidRangeParity from '../rules/vmid-range-parity.js';
import bindingHeaders from '../rules/binding-headers.js';
import vmProfileConformance from '../rules/vm-profile-conformance.js';

/** The drift checks. Add each new check module's default export here. */
export const driftChecks: readonly Check[] = [
  vmCreationGovernance,
  sshLifecycleParity,
  onboardingRegistration,
  servicesHealthParity,
  crossRegistryCompleteness,
  vmIpParity,
  sshTargetLifecycle,
  sshTailscaleDuplicates,
  namingConsistency,
  infraCoreServiceParity,
  siteTopologyParity,
  ssotFreshness,
  schemaConventions,
  sshUserParity,
  healthEndpointRegistryParity,
  backupInventoryIntegrity,
  deviceIdentityTables,
  vmidRangeParity,
  bindingHeaders,
  vmProfileConformance,
];
