import type { Check } from '@spine-lint/core';
import placementPolicy from '../rules/placement-policy.js';
import relocationParity from '../rules/relocation-parity.js';
import relocationPhaseOrder from '../rules/relocation-phase-order.js';
import rollbackConsistency from '../rules/rollback-consistency.js';
import relocationSsotCompleteness from '../rules/relocation-ssot-completeness.js';
import relocationUniqueIds from '../rules/relocation-unique-ids.js';
import relocationVocabulary from '../rules/relocation-vocabulary.js';
import vmTargetReadinessBindings from '../rules/vm-target-readiness-bindings.js';

/** The relocation checks. Add each new check module's default export here. */
export const relocationChecks: readonly Check[] = [
  relocationParity,
  placementPolicy,
  relocationVocabulary,
  relocationUniqueIds,
  relocationSsotCompleteness,
  vmTargetReadinessBindings,
  rollbackConsistency,
  relocationPhaseOrder,
];
