export { schemaValidation, compiledValidator, setPrecompiledValidators, describeErrors, displayPath, type SchemaEntry, type SchemaViolation } from './validate.js';
export { isPrecompiled, defaultPrecompiledDir } from './precompiled.js';
export { ajvOptions, type PrecompiledIndex } from './options.js';
