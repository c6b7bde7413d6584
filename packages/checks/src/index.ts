/**
 * @spine-lint/checks — the agentic-spine policy catalog: typed views of each binding, the host
 * graph, and one pure check per module.
 * @packageDocumentation
 */
export { catalog } from './catalog.js';
export { remoteCommands, type CommandName } from './commands.js';
export { defaultPaths, defaultBindingDirs, recordIdFields, type BindingName } from './layout.js';
export * from './bindings/index.js';
export { schemaProducer, schemaFor, schemaBindings, schemaBindingsFor, schemaDir, type SchemaBinding, type SchemaProducerOptions } from './schemaMap.js';
export { STATE_NEXT, SERVICE_NEXT, SERVICE_ALIGNMENT, STATE_VM_STATUSES, transitionPath, planRelocationMove, type MoveStart, type MoveRequest, type MovePlan } from './shared/stateMachine.js';
