/**
 * The Ajv options of every schema validator, shared by the runtime compiler (`validate.ts`) and the
 * build-time standalone generator (`scripts/build-validators.mjs`), so both produce the same code
 * and the same error objects. `verbose` gives `parentSchema` (pattern titles) and `data` (got …).
 * Dependency-free on purpose: the build script imports it from `dist/`.
 */
export const ajvOptions = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

/** Layout of the generated validators, relative to `dist/schema/` (`dist/generated/validators/`). */
export const PRECOMPILED_INDEX = 'index.json';

/** What `scripts/build-validators.mjs` writes as `dist/generated/validators/index.json`. */
export interface PrecompiledIndex {
  /** Format of this file. */
  version: 1;
  /** The Ajv options the validators were generated with (must equal `ajvOptions`). */
  options: Record<string, unknown>;
  /** By schema `$id`: the CommonJS module holding the validator and the exact schema it was made from. */
  validators: Record<string, { file: string; json: string }>;
}
