/**
 * The runner does not run a check on a binding it cannot read as data: unparsable, empty, or of the
 * wrong shape (a producer such as schema validation says so). The check says nothing instead of
 * something false ("every service is missing"); the binding's own finding tells the story, and an
 * empty binding gets one `parse` finding naming the checks that needed it.
 */
import { describe, expect, it } from 'vitest';
import { defineCheck, MemorySource, runChecks, schemaValidation, Workspace, type Report } from '@spine-lint/core';

/** Reports every service of `registry` that has no host: false claims if it ran on an unreadable registry. */
const serviceHost = defineCheck({
  id: 'service-host',
  aliases: ['D99'],
  title: 'Services have a host',
  description: 'Every service has a host.',
  severity: 'error',
  kind: 'static',
  reads: ['registry', 'other'],
  messages: { noHost: "service '{{service}}' has no host", noRegistry: 'no registry' },
  run(ctx) {
    const value = ctx.workspace.yaml('registry')?.value as { services?: Record<string, { host?: string }> } | undefined;
    if (!ctx.workspace.exists('registry')) return ctx.report({ messageId: 'noRegistry' });
    for (const name of ['a', 'b']) if (typeof value?.services?.[name]?.host !== 'string') ctx.report({ messageId: 'noHost', data: { service: name }, file: 'registry', pointer: `/services/${name}` });
  },
});

const unrelated = defineCheck({
  id: 'unrelated',
  title: 'Reads another file',
  description: 'Reads only other.yaml.',
  severity: 'warning',
  kind: 'static',
  reads: ['other'],
  messages: { ran: 'ran' },
  run(ctx) {
    ctx.report({ messageId: 'ran', file: 'other', pointer: '' });
  },
});

const schema = {
  $id: 'https://example.test/registry.schema.json',
  type: 'object',
  properties: { services: { type: 'object', additionalProperties: { type: 'object', properties: { host: { type: 'string' } } } } },
};

function run(registry: string | undefined): Report {
  const files: Record<string, string> = { 'other.yaml': 'x: 1\n' };
  if (registry !== undefined) files['registry.yaml'] = registry;
  const workspace = new Workspace(new MemorySource(files), { paths: { registry: 'registry.yaml', other: 'other.yaml' } });
  return runChecks({ workspace, checks: [serviceHost, unrelated], producers: [schemaValidation([{ binding: 'registry', schema }])] });
}

const keys = (r: Report): string[] => r.results.map((d) => `${d.checkId}:${d.messageId}${d.checkId === 'parse' ? `:${String(d.data.code)}` : ''}`).sort();

describe('checks on unreadable bindings', () => {
  it('readable: the check runs (and a true finding stays)', () => {
    const r = run('services:\n  a: { host: x }\n  b: {}\n');
    expect(keys(r)).toEqual(['service-host:noHost', 'unrelated:ran']);
    expect(r.skipped).toBeUndefined();
    expect(r.summary.checksRun).toBe(2);
  });

  it('absent: the check runs and handles the absence itself', () => {
    expect(keys(run(undefined))).toEqual(['service-host:noRegistry', 'unrelated:ran']);
  });

  it('unparsable: the parse finding only; the check is skipped, other checks run', () => {
    const r = run('services:\n  a: [\n');
    expect(keys(r).filter((k) => !k.startsWith('parse:'))).toEqual(['unrelated:ran']);
    expect(keys(r).some((k) => k.startsWith('parse:problem'))).toBe(true);
    expect(r.skipped).toEqual([{ checkId: 'service-host', because: [{ file: 'registry.yaml', state: 'unparsable' }] }]);
    expect(r.summary.checksRun).toBe(1);
    expect(r.checks.map((c) => c.id)).not.toContain('service-host');
  });

  it.each([
    ['0 bytes', ''],
    ['comments only', '# to be written\n'],
    ['a null document', '---\n~\n'],
  ])('empty (%s): one parse finding at 1:1 naming the check, which is skipped', (_, text) => {
    const r = run(text);
    expect(keys(r)).toEqual(['parse:problem:empty', 'unrelated:ran']);
    const empty = r.results.find((d) => d.checkId === 'parse')!;
    expect(empty).toMatchObject({ file: 'registry.yaml', line: 1, column: 1, severity: 'error' });
    expect(empty.message).toContain('service-host (D99)');
    expect(r.skipped).toEqual([{ checkId: 'service-host', because: [{ file: 'registry.yaml', state: 'empty' }] }]);
  });

  it('wrong shape near the root (a list where a map of services is required): the schema finding only', () => {
    const r = run('services:\n  - a\n  - b\n');
    expect(keys(r)).toEqual(['schema:violation', 'unrelated:ran']);
    expect(r.skipped).toEqual([{ checkId: 'service-host', because: [{ file: 'registry.yaml', state: 'wrong-shape' }] }]);
  });

  it('a wrong type deeper down (one entry) is a schema finding, and the check still runs', () => {
    const r = run('services:\n  a: { host: x }\n  b: { host: 5 }\n');
    expect(keys(r)).toEqual(['schema:violation', 'service-host:noHost', 'unrelated:ran']);
    expect(r.skipped).toBeUndefined();
  });

  it('an empty file no selected check reads gets no finding', () => {
    const workspace = new Workspace(new MemorySource({ 'other.yaml': 'x: 1\n', 'registry.yaml': '' }), { paths: { registry: 'registry.yaml', other: 'other.yaml' } });
    const r = runChecks({ workspace, checks: [unrelated] });
    expect(keys(r)).toEqual(['unrelated:ran']);
  });
});
