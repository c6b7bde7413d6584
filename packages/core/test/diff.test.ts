import { describe, expect, it } from 'vitest';
import { DirectorySource, diffValues, diffWorkspaces, formatDiffJson, formatDiffStylish, MemorySource, stablePointer, Workspace } from '@spine-lint/core';
import { TREES } from '../../../test/support/corpus.js';

/** The core is layout-agnostic: these tests use the spine's record id fields, as the CLI does. */
const idFields = ['id', 'service', 'stack_id', 'name', 'hostname', 'vm_id'];

describe('diffValues', () => {
  it('matches records of a list by id, not by index: a reorder is no change', () => {
    const base = {
      services: [
        { service: 'a', host: 'x' },
        { service: 'b', host: 'y' },
      ],
    };
    const head = {
      services: [
        { service: 'b', host: 'y' },
        { service: 'a', host: 'x' },
      ],
    };
    expect(diffValues(base, head, { idFields })).toEqual([]);
  });

  it('an insertion above a changed record reports the insertion and the field change, with head pointers', () => {
    const base = {
      services: [
        { service: 'a', host: 'x' },
        { service: 'b', host: 'y' },
      ],
    };
    const head = {
      services: [
        { service: 'new', host: 'z' },
        { service: 'a', host: 'x' },
        { service: 'b', host: 'w' },
      ],
    };
    const changes = diffValues(base, head, { idFields });
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'added', path: 'services[new]', pointer: '/services/0', collection: 'services', id: 'new' }),
      expect.objectContaining({ kind: 'changed', path: 'services[b].host', pointer: '/services/2/host', basePointer: '/services/1/host', before: 'y', after: 'w' }),
    ]);
  });

  it('removed records name their id and point at the container in the head', () => {
    const changes = diffValues({ vm_targets: [{ vm_id: '204', status: 'ready' }, { vm_id: '205' }] }, { vm_targets: [{ vm_id: '204', status: 'ready' }] }, { idFields });
    expect(changes).toEqual([expect.objectContaining({ kind: 'removed', path: 'vm_targets[205]', pointer: '/vm_targets', basePointer: '/vm_targets/1', id: '205' })]);
  });

  it('map entries are matched by key; scalars in lists by value', () => {
    const changes = diffValues({ hosts: { nas: { ip: '1' } }, tags: ['a', 'b'] }, { hosts: { nas: { ip: '2' }, pve: { ip: '3' } }, tags: ['b', 'c'] });
    expect(changes.map((c) => `${c.kind} ${c.path} ${c.pointer}`)).toEqual(['changed hosts.nas.ip /hosts/nas/ip', 'added hosts.pve /hosts/pve', 'removed tags /tags', 'added tags /tags/1']);
  });

  it('id fields are configurable', () => {
    const base = {
      list: [
        { key: 'p', v: 1 },
        { key: 'q', v: 2 },
      ],
    };
    const head = {
      list: [
        { key: 'q', v: 2 },
        { key: 'p', v: 1 },
      ],
    };
    expect(diffValues(base, head, { idFields: ['key'] })).toEqual([]);
  });
});

describe('stablePointer', () => {
  it('replaces indices of records with their id', () => {
    const value = { services: [{ service: 'a' }, { service: 'grafana', host: 'x' }], tags: ['p'] };
    expect(stablePointer(value, '/services/1/host', idFields)).toBe('/services/[service=grafana]/host');
    expect(stablePointer(value, '/tags/0')).toBe('/tags/0');
    expect(stablePointer(value, undefined)).toBeUndefined();
  });
});

describe('diffWorkspaces on the Phase 4 rollout (c73c3ac1 → 279e3568)', () => {
  const base = new Workspace(new DirectorySource(`${TREES}/03-c73c3ac1`), { recordIdFields: idFields });
  const head = new Workspace(new DirectorySource(`${TREES}/04-279e3568`), { recordIdFields: idFields });
  const files = [...new Set(['ops/bindings', 'docs/governance'].flatMap((d) => [...base.list(d), ...head.list(d)]))];
  const diff = diffWorkspaces(base, head, files);
  const lines = formatDiffStylish(diff, { color: false, rootPrefix: '', base: 'c73c3ac1', head: '279e3568' }).split('\n');
  const count = (re: RegExp): number => lines.filter((l) => re.test(l)).length;

  it('lists every added service, host, endpoint, compose stack and backup target exactly once', () => {
    for (const s of ['prometheus', 'grafana', 'loki', 'uptime-kuma', 'node-exporter']) {
      expect(count(new RegExp(`added\\s+services\\.${s}$`)), s).toBe(1);
      expect(count(new RegExp(`added\\s+endpoints\\[${s}\\]$`)), s).toBe(1);
      expect(count(new RegExp(`added\\s+stacks\\[${s}\\]$`)), s).toBe(1);
      expect(count(new RegExp(`added\\s+targets\\.observability\\.stacks\\[${s}\\]$`)), s).toBe(1);
    }
    expect(count(/added\s+hosts\.observability$/)).toBe(1);
    expect(count(/added\s+targets\.observability$/)).toBe(1);
    expect(count(/added\s+targets\[vm-205-observability-primary\]$/)).toBe(1);
    expect(count(/added\s+tables\[Tailscale Host Table \(Canonical\)\]\.rows\[observability\]$/)).toBe(1);
  });

  it('shows changed fields as old → new with positions in the head file', () => {
    expect(lines).toContain('  23:10   changed  active_relocation.state: "cutover" → "complete"');
    expect(lines).toContain('  74:13  changed  ssh.targets[observability].host: null → "100.120.163.70"');
    expect(lines).toContain('  86:3   added    services.prometheus');
    expect(head.text('ops/bindings/ssh.targets.yaml')!.split('\n')[73]!.slice(12)).toBe('"100.120.163.70"');
    expect(lines.at(-2)).toBe('35 changes in 9 files (26 added, 0 removed, 9 changed) between c73c3ac1 and 279e3568');
  });

  it('gives structured changes as JSON', () => {
    const json = JSON.parse(formatDiffJson(diff, { base: 'a', head: 'b' })) as { files: { file: string; changes: { kind: string; id?: string; line: number }[] }[] };
    const health = json.files.find((f) => f.file === 'ops/bindings/services.health.yaml')!;
    expect(health.changes.map((c) => c.id)).toEqual(['prometheus', 'grafana', 'loki', 'uptime-kuma', 'node-exporter']);
    expect(health.changes.every((c) => c.kind === 'added' && c.line > 30)).toBe(true);
  });

  it('reports added, removed and unparsable files', () => {
    const b = new Workspace(new MemorySource({ 'a.yaml': 'x: 1\n', 'gone.yaml': 'y: 1\n', 'bad.yaml': 'z: 1\n' }));
    const h = new Workspace(new MemorySource({ 'a.yaml': 'x: 1\n', 'new.yaml': 'y: 1\n', 'bad.yaml': 'z: [\n' }));
    expect(diffWorkspaces(b, h, ['a.yaml', 'gone.yaml', 'new.yaml', 'bad.yaml']).map((f) => `${f.file} ${f.status}`)).toEqual(['bad.yaml unparsed', 'gone.yaml removed', 'new.yaml added']);
  });
});
