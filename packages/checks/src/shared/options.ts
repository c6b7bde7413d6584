/**
 * Pieces of check option schemas several checks share. Options are data (`optionsSchema` +
 * `defaultOptions` on the check): the CLI validates them and the engine merges the defaults in,
 * so a check reads typed `ctx.options` and parses nothing by hand.
 */
import type { JSONSchema } from '@spine-lint/core';

/** A duration option in seconds (a positive number, fractions allowed). */
export const secondsSchema = (description: string): JSONSchema => ({ type: 'number', exclusiveMinimum: 0, description });

/** The `commandTimeoutSec` option of the SSH-probing live checks. */
export const commandTimeoutSecSchema: JSONSchema = secondsSchema('How long each SSH command may run, in seconds (`spine-lint probe --timeout` overrides it).');

/** Seconds (an option's value) as the milliseconds a probe takes. */
export const secondsToMs = (seconds: number): number => Math.round(seconds * 1000);
