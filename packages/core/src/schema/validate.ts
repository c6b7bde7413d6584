import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { schemaCheck } from '../coreChecks.js';
import type { Finding, FindingData } from '../diagnostic.js';
import { parsePointer, pointer as buildPointer } from '../pointer.js';
import type { FindingProducer } from '../runner.js';
import type { Workspace } from '../workspace/workspace.js';
import { ajvOptions } from './options.js';
import { precompiledValidator, setPrecompiledDir } from './precompiled.js';
import { redactCredentials, redactData, redactUrl } from '../redact.js';

/** A binding name (or repository path) and the JSON Schema (draft 2020-12) its parsed value must match. */
export interface SchemaEntry {
  binding: string;
  schema: object;
}

/** The parts of an Ajv instance this module uses (ajv is loaded lazily, so no value import). */
interface AjvLike {
  compile(schema: object): ValidateFunction;
}

interface CachedValidator {
  json: string;
  validate: ValidateFunction;
}

let sharedAjv: AjvLike | undefined;
const byId = new Map<string, CachedValidator>();
let byObject = new WeakMap<object, ValidateFunction>();

/**
 * Where validators come from from now on: build-time generated ones in this directory (URL ending
 * in `/`), `false` to always compile at run time, `undefined` for the default
 * (`dist/generated/validators/` when it exists). Forgets every validator obtained so far.
 */
export function setPrecompiledValidators(location: URL | false | undefined): void {
  setPrecompiledDir(location);
  sharedAjv = undefined;
  byId.clear();
  byObject = new WeakMap();
}

/**
 * Create an Ajv 2020-12 instance. ajv is CommonJS; it is required synchronously here, the first
 * time a schema is compiled, so that runs without schemas never pay its load time.
 */
function newAjv(): AjvLike {
  const require = createRequire(import.meta.url);
  const mod = require('ajv/dist/2020.js') as { default?: new (o: object) => AjvLike } & (new (o: object) => AjvLike);
  const Ajv2020 = mod.default ?? mod;
  return new Ajv2020({ ...ajvOptions });
}

/**
 * The compiled validator of a schema: the build-time generated one when the build has it for this
 * exact schema (see `precompiled.ts`; Ajv's compiler is then never loaded), else compiled once per
 * `$id` (or per object when it has none), on first use. A different schema under an already used
 * `$id` gets its own Ajv instance rather than silently reusing the first one.
 */
export function compiledValidator(schema: object): ValidateFunction {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') {
    let validate = byObject.get(schema);
    if (!validate) {
      validate = (sharedAjv ??= newAjv()).compile(schema);
      byObject.set(schema, validate);
    }
    return validate;
  }
  const json = JSON.stringify(schema);
  const cached = byId.get(id);
  if (cached && cached.json === json) return cached.validate;
  const precompiled = precompiledValidator(id, json);
  if (precompiled) {
    byId.set(id, { json, validate: precompiled });
    return precompiled;
  }
  const ajv = cached ? newAjv() : (sharedAjv ??= newAjv());
  const validate = ajv.compile(schema);
  byId.set(id, { json, validate });
  return validate;
}

/** Validation results per parsed document and validator: the producer and `wrongShape` validate once. */
const validations = new WeakMap<object, Map<ValidateFunction, readonly ErrorObject[]>>();

function errorsOf(doc: { value: unknown }, schema: object): readonly ErrorObject[] {
  const validate = compiledValidator(schema);
  let byValidator = validations.get(doc);
  if (!byValidator) validations.set(doc, (byValidator = new Map()));
  let errors = byValidator.get(validate);
  if (!errors) {
    errors = validate(doc.value) ? [] : [...(validate.errors ?? [])];
    byValidator.set(validate, errors);
  }
  return errors;
}

/**
 * How deep a container type error makes a whole binding unreadable as data: the root (a list where
 * the binding is a map) and its top-level collections and theirs (`/services`, `/ssh/targets`: a
 * map where checks iterate a list). A wrong type deeper down (one entry) is a `schema` finding
 * only; the checks still read the rest of the binding.
 */
const SHAPE_DEPTH = 2;

/** Whether an Ajv error is a container of the wrong kind (object vs array vs scalar) near the root. */
function isShapeError(error: ErrorObject): boolean {
  if (error.keyword !== 'type') return false;
  const expected = (error.params as { type?: string | string[] }).type;
  const types = Array.isArray(expected) ? expected : [expected];
  if (!types.includes('object') && !types.includes('array')) return false;
  return parsePointer(error.instancePath).length <= SHAPE_DEPTH;
}

/**
 * A finding producer validating bindings against JSON Schemas (draft 2020-12). Only bindings that
 * exist and parsed are validated (a file that does not parse already has its `parse` finding).
 * Each violation is a `schema` finding pointing at the exact node: the wrong value, the object that
 * lacks a required key, or the unexpected key itself. Its `wrongShape` tells the runner which
 * bindings have a collection of the wrong kind (`isShapeError`), so that the checks reading them do
 * not run on a value they would misread (a map of ssh targets read as "no targets").
 */
export function schemaValidation(entries: readonly SchemaEntry[]): FindingProducer {
  const producer = (workspace: Workspace): Finding[] => {
    const findings: Finding[] = [];
    for (const entry of entries) {
      const doc = workspace.yaml(entry.binding);
      // Unparsable: its parse finding; empty (undefined or null): the runner's `empty` finding.
      if (doc === undefined || doc.value === undefined || doc.value === null) continue;
      const errors = errorsOf(doc, entry.schema);
      if (errors.length === 0) continue;
      const file = workspace.pathOf(entry.binding);
      for (const violation of describeErrors(entry.binding, doc.value, errors)) {
        findings.push({
          checkId: schemaCheck.id,
          messageId: 'violation',
          message: violation.message,
          data: violation.data,
          file,
          pointer: violation.pointer,
          range: violation.atKey ? doc.locateKey(violation.pointer) : undefined,
        });
      }
    }
    return findings;
  };
  const wrongShape = (workspace: Workspace): ReadonlySet<string> => {
    const files = new Set<string>();
    for (const entry of entries) {
      if (!workspace.exists(entry.binding)) continue;
      const doc = workspace.yaml(entry.binding);
      if (doc === undefined || doc.value === undefined || doc.value === null) continue;
      if (errorsOf(doc, entry.schema).some(isShapeError)) files.add(workspace.pathOf(entry.binding));
    }
    return files;
  };
  return Object.assign(producer, { wrongShape });
}

/** One schema violation, in words, with the pointer of the node it is about. */
export interface SchemaViolation {
  pointer: string;
  message: string;
  data: FindingData;
  /** The finding is about a map key (unknown or badly named key), not its value. */
  atKey: boolean;
}

/**
 * Turn Ajv errors into readable violations. Errors inside `anyOf`/`oneOf` branches collapse into
 * the combinator's error; `if` errors are dropped (their `then`/`else` error is reported).
 */
export function describeErrors(binding: string, value: unknown, errors: readonly ErrorObject[]): SchemaViolation[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const insideCombinator = (e: ErrorObject): ErrorObject | undefined => combinators.find((c) => c !== e && e.schemaPath.startsWith(c.schemaPath + '/') && e.instancePath.startsWith(c.instancePath));
  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    if (insideCombinator(error)) continue;
    // Values from the binding are shown with URL credentials replaced by *** (message and data alike).
    const described = describeError(
      binding,
      value,
      error,
      errors.filter((e) => insideCombinator(e) === error),
    );
    const violation = { ...described, message: redactCredentials(described.message), data: redactData(described.data) };
    const key = violation.pointer + '\u0000' + violation.message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}

function describeError(binding: string, root: unknown, error: ErrorObject, branches: readonly ErrorObject[]): SchemaViolation {
  const at = error.instancePath;
  const path = displayPath(binding, root, at);
  const data: FindingData = { binding, path, keyword: error.keyword };
  const params = error.params as Record<string, unknown>;
  const got = describeValue(error.data);

  // An error about a key name (propertyNames: pattern, enum, maxLength …) names the key itself.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const ptr = at + buildPointer(propertyName);
    return { pointer: ptr, atKey: true, data: { ...data, key: propertyName }, message: `${path}: key '${propertyName}' ${keyNameProblem(error)}` };
  }

  switch (error.keyword) {
    case 'type': {
      const expected = [params.type].flat().join(' or ');
      return { pointer: at, atKey: false, data: { ...data, expected, actual: typeName(error.data) }, message: `${path} must be ${expected} (got ${typeName(error.data)}${scalarSuffix(error.data)})` };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return { pointer: at, atKey: false, data: { ...data, key }, message: `${path}: missing required key '${key}'` };
    }
    case 'dependentRequired': {
      const key = String(params.missingProperty);
      return { pointer: at, atKey: false, data: { ...data, key }, message: `${path}: missing key '${key}', required when '${String(params.property)}' is present` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const allowed = known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
      return { pointer: at + buildPointer(key), atKey: true, data: { ...data, key }, message: `${path}: unknown key '${key}'${allowed}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { pointer: at, atKey: false, data: { ...data, actual: got }, message: `unknown value ${got} for ${path} (allowed: ${allowed.join(', ')})` };
    }
    case 'const':
      return { pointer: at, atKey: false, data: { ...data, actual: got }, message: `${path} must be ${JSON.stringify(params.allowedValue)} (got ${got})` };
    case 'pattern':
      return { pointer: at, atKey: false, data: { ...data, actual: got }, message: `${path} must ${describePattern(error)} (got ${got})` };
    case 'format':
      return { pointer: at, atKey: false, data: { ...data, actual: got }, message: `${path} must be a valid ${String(params.format)} (got ${got})` };
    case 'minLength':
      if (params.limit === 1) return { pointer: at, atKey: false, data, message: `${path} must not be empty` };
      break;
    case 'minItems':
      if (params.limit === 1) return { pointer: at, atKey: false, data, message: `${path} must not be empty` };
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { pointer: at, atKey: false, data: { ...data, actual: got }, message: `${path} must be ${String(params.comparison)} ${String(params.limit)} (got ${got})` };
    case 'uniqueItems': {
      const j = Number(params.j);
      const i = Number(params.i);
      const ptr = at + buildPointer(Math.max(i, j));
      return { pointer: ptr, atKey: false, data, message: `${displayPath(binding, root, ptr)} duplicates item ${Math.min(i, j)} of ${path}` };
    }
    case 'anyOf':
    case 'oneOf': {
      const alternatives = [
        ...new Set(branches.filter((b) => b.instancePath === at).map((b) => (b.keyword === 'type' ? `be ${[(b.params as { type: unknown }).type].flat().join(' or ')}` : (b.message ?? b.keyword)))),
      ];
      if (error.keyword === 'oneOf' && (params.passingSchemas as unknown) !== null && params.passingSchemas !== undefined) {
        return { pointer: at, atKey: false, data, message: `${path} matches more than one of the allowed shapes` };
      }
      const detail = alternatives.length > 0 ? `: it must ${alternatives.join(', or ')}` : '';
      return { pointer: at, atKey: false, data, message: `${path} matches none of the allowed shapes${detail}` };
    }
    default:
      break;
  }
  return { pointer: at, atKey: false, data, message: `${path} ${error.message ?? `fails '${error.keyword}'`}` };
}

function keyNameProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'pattern':
      return `must ${describePattern(error)}`;
    case 'enum':
      return `is not allowed (allowed: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
    default:
      return error.message ?? `fails '${error.keyword}'`;
  }
}

/** What a pattern asks for: "be <title>" of the schema holding it ("be an IPv4 address"), else "match /<pattern>/". */
function describePattern(error: ErrorObject): string {
  const pattern = String((error.params as { pattern?: unknown }).pattern);
  const title = (error.parentSchema as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' && title.length > 0 ? `be ${title}` : `match /${pattern}/`;
}

/**
 * A readable path for a pointer: `ssh.targets[3].host`, `services["odd key"]`. Array indices use
 * brackets (decided by looking at the value, since a pointer cannot tell an index from a key).
 */
export function displayPath(binding: string, root: unknown, ptr: string): string {
  let out = binding;
  let current: unknown = root;
  for (const segment of parsePointer(ptr)) {
    if (Array.isArray(current)) {
      out += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out;
}

/** JSON Schema type name of a value (`integer` for whole numbers). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function scalarSuffix(value: unknown): string {
  if (value === null || typeof value === 'object') return '';
  return ` ${describeValue(value)}`;
}

function describeValue(value: unknown): string {
  // Redacted before it is shortened: a URL cut before its '@' would no longer be recognised.
  if (typeof value === 'string') {
    const shown = redactUrl(value);
    return `'${shown.length > 60 ? shown.slice(0, 57) + '...' : shown}'`;
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'a map';
}
