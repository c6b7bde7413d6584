import type { Check } from '@spine-lint/core';
import vmOperatingProfileParity from '../rules/vm-operating-profile-parity.js';
import nasBaselineCoverage from '../rules/nas-baseline-coverage.js';
import capabilityMetadataParity from '../rules/capability-metadata-parity.js';
import capabilityMapParity from '../rules/capability-map-parity.js';
import gateDomainAssignment from '../rules/gate-domain-assignment.js';
import gateTopologyMetadata from '../rules/gate-topology-metadata.js';
import startupSiteParity from '../rules/startup-site-parity.js';
import mediaPortCollisions from '../rules/media-port-collisions.js';

/**
 * The infra-pack gates of tier 2 (../shared/spec/gates-tier2.md): VM operating profiles, the NAS and
 * backup baseline, capability metadata and the capability map, the gate topology, startup
 * sequencing and media port collisions.
 */
export const infraChecks: readonly Check[] = [
  vmOperatingProfileParity,
  nasBaselineCoverage,
  capabilityMetadataParity,
  capabilityMapParity,
  gateDomainAssignment,
  gateTopologyMetadata,
  startupSiteParity,
  mediaPortCollisions,
];
