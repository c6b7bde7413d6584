/**
 * Typed, defensive views of the spine bindings (one module per binding) and the host graph.
 * Checks read bindings only through these: a wrong-typed field reads as absent, never throws.
 */
export * from './util.js';
export * from './sshTargets.js';
export * from './relocationPlan.js';
export * from './placementPolicy.js';
export * from './serviceRegistry.js';
export * from './servicesHealth.js';
export * from './composeTargets.js';
export * from './backupInventory.js';
export * from './vmProfiles.js';
export * from './deviceIdentity.js';
export * from './vmLifecycle.js';
export * from './namingPolicy.js';
export * from './hostGraph.js';
export * from './infra/shape.js';
export * from './infra/valueKind.js';
export * from './infra/vmLifecycleContract.js';
export * from './infra/vmOperatingProfile.js';
export * from './infra/homeDeviceRegistry.js';
export * from './infra/capabilities.js';
export * from './infra/gateRegistry.js';
export * from './infra/gateTopology.js';
export * from './infra/gateProfiles.js';
export * from './infra/startupSequencing.js';
export * from './infra/mediaServices.js';
