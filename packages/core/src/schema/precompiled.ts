import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ajvOptions, PRECOMPILED_INDEX, type PrecompiledIndex } from './options.js';

/**
 * Validators generated at build time with Ajv's standalone code generation
 * (`scripts/build-validators.mjs` → `dist/generated/validators/`): loading one costs a `require` of
 * plain code (it needs only Ajv's tiny runtime helpers), not Ajv's compiler. They are CommonJS so
 * they load synchronously, like the compiler they replace (Ajv's ESM output still calls `require`).
 *
 * A validator is used only when the index lists the schema's `$id` with exactly the same schema
 * text and the same options; anything else (sources run by the tests, a schema edited since the
 * build, no build at all) falls back to compiling at run time.
 */
export const defaultPrecompiledDir = new URL('../generated/validators/', import.meta.url);

let dir: URL | false = defaultPrecompiledDir;
/** undefined: not read yet; null: no usable index. */
let index: PrecompiledIndex | null | undefined;
const loaded = new Map<string, ValidateFunction>();
const precompiledFunctions = new WeakSet<object>();

/**
 * Where precompiled validators come from: a directory (URL ending in `/`), `false` to always compile,
 * or `undefined` for the default (`dist/generated/validators/` beside this module). Clears what was loaded.
 */
export function setPrecompiledDir(location: URL | false | undefined): void {
  dir = location === undefined ? defaultPrecompiledDir : location;
  index = undefined;
  loaded.clear();
}

function readIndex(): PrecompiledIndex | null {
  if (dir === false) return null;
  try {
    const parsed = JSON.parse(readFileSync(new URL(PRECOMPILED_INDEX, dir), 'utf8')) as PrecompiledIndex;
    if (parsed.version !== 1 || JSON.stringify(parsed.options) !== JSON.stringify(ajvOptions) || typeof parsed.validators !== 'object') return null;
    return parsed;
  } catch {
    return null;
  }
}

/** The precompiled validator of the schema with this `$id` and this exact JSON text, if there is one. */
export function precompiledValidator(id: string, json: string): ValidateFunction | undefined {
  if (index === undefined) index = readIndex();
  if (!index || dir === false) return undefined;
  const entry = Object.hasOwn(index.validators, id) ? index.validators[id] : undefined;
  if (!entry || entry.json !== json) return undefined;
  let validate = loaded.get(id);
  if (!validate) {
    try {
      const require = createRequire(fileURLToPath(new URL(PRECOMPILED_INDEX, dir)));
      const mod = require(fileURLToPath(new URL(entry.file, dir))) as ValidateFunction & { default?: ValidateFunction };
      validate = typeof mod.default === 'function' ? mod.default : mod;
    } catch {
      return undefined;
    }
    if (typeof validate !== 'function') return undefined;
    precompiledFunctions.add(validate);
    loaded.set(id, validate);
  }
  return validate;
}

/** Whether a validator came from the build-time generated code (for tests and diagnostics). */
export const isPrecompiled = (validate: object): boolean => precompiledFunctions.has(validate);
