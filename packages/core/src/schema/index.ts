export { schemaValidation, compiledValidator, describeErrors, displayPath, type SchemaEntry, type SchemaViolation } from './validate.js';
