import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import check from '../../src/rules/capability-metadata-parity.js';
import { defaultPaths } from '../../src/layout.js';
import { checkTester, runCase } from '../support/checkTester.js';

const STRICT = [
  'infra.proxmox.maintenance.precheck',
  'infra.proxmox.maintenance.shutdown',
  'infra.proxmox.maintenance.startup',
  'infra.post_power.recovery.status',
  'infra.post_power.recovery',
  'infra.maintenance.window',
  'infra.proxmox.node_path.migrate',
];

/** An entry: its key line, then `fields` (4-space indented lines). */
const entry = (name: string, fields: string) => `  ${name}:\n${fields}`;
/** A complete strict entry: 5 lines (key, description, plane, domain, requires). */
const full = (name: string) => entry(name, `    description: "${name}"\n    plane: fabric\n    domain: infra\n    requires: [spine.verify]\n`);
/** `capabilities:` at line 1; the strict entries from line 2, entry i at line 2 + 5i, then `extra`. */
const caps = (replace: Record<string, string> = {}, extra = '') => `capabilities:\n${STRICT.map((n) => replace[n] ?? full(n)).join('')}${extra}`;
/** Line of strict entry i's key. */
const at = (i: number) => 2 + 5 * i;

const ADJACENT = entry('caddy.reload', '    description: "Reload Caddy"\n    plane: domain_external\n    domain: none\n');

checkTester(check, {
  valid: [
    { name: 'the seven strict caps with fabric/infra and preconditions; adjacent caps with any plane and domain', files: { capabilities: caps({}, ADJACENT) } },
    {
      name: 'node_path.migrate needs no requires; a block list counts; capabilities outside the prefixes are not checked',
      files: {
        capabilities: caps(
          {
            'infra.proxmox.node_path.migrate': entry('infra.proxmox.node_path.migrate', '    description: "Migrate"\n    plane: fabric\n    domain: infra\n'),
            'infra.maintenance.window': entry(
              'infra.maintenance.window',
              '    description: "Window"\n    plane: fabric\n    domain: infra\n    requires:\n      - infra.proxmox.maintenance.precheck\n',
            ),
          },
          entry('spine.verify', '    description: "Verify"\n') + entry('infrastructure.report', '    description: "not infra. (no dot after the prefix)"\n'),
        ),
      },
    },
    {
      name: 'options: another strict list, plane, domain and prefixes',
      files: {
        capabilities: `capabilities:\n${entry('net.switch.backup', '    description: "Backup"\n    plane: domain_external\n    domain: network\n    requires: [net.status]\n')}${entry('net.status', '    description: "Status"\n    plane: fabric\n    domain: network\n')}`,
      },
      options: { strictCapabilities: ['net.switch.backup'], requiresExempt: [], expectedPlane: 'domain_external', expectedDomain: 'network', adjacentPrefixes: ['net'] },
    },
  ],
  invalid: [
    {
      name: 'capabilities.yaml absent',
      files: {},
      errors: [{ messageId: 'missingFile', data: { file: 'ops/capabilities.yaml' }, line: 1, column: 1, file: 'ops/capabilities.yaml' }],
    },
    {
      name: 'no capabilities key: one finding, no "not found" per capability',
      files: { capabilities: 'version: "1.0"\n' },
      errors: [{ messageId: 'noCapabilitiesMap', data: { path: 'capabilities', found: 'missing' }, line: 1, column: 1 }],
    },
    {
      name: 'capabilities is a list',
      files: { capabilities: 'capabilities:\n  - infra.maintenance.window\n' },
      errors: [{ messageId: 'noCapabilitiesMap', data: { path: 'capabilities', found: 'a list' }, line: 2, column: 3 }],
    },
    {
      name: 'the document is a list',
      files: { capabilities: '- infra.maintenance.window\n' },
      errors: [{ messageId: 'noCapabilitiesMap', data: { path: 'the document', found: 'a list' }, line: 1, column: 1 }],
    },
    {
      name: 'the strict caps do not exist yet (trees 01–07): one finding each, at the capabilities map',
      files: { capabilities: `capabilities:\n${ADJACENT}` },
      // All at the map: ordered by message text.
      errors: [...STRICT].sort().map((cap) => ({ messageId: 'notFound', data: { cap }, line: 2, column: 3 })),
    },
    {
      name: 'strict caps without plane and domain (trees 08–11): each reported once, not again by the prefix scan',
      files: {
        capabilities: caps({
          'infra.proxmox.maintenance.precheck': entry('infra.proxmox.maintenance.precheck', '    description: "Precheck"\n    requires: [spine.verify]\n'),
        }),
      },
      errors: [
        { messageId: 'missingField', data: { cap: 'infra.proxmox.maintenance.precheck', field: 'domain' }, line: 3, column: 5 },
        { messageId: 'missingField', data: { cap: 'infra.proxmox.maintenance.precheck', field: 'plane' }, line: 3, column: 5 },
      ],
    },
    {
      name: 'wrong plane and domain; plane false is a value, not a missing field',
      files: {
        capabilities: caps({
          'infra.proxmox.maintenance.shutdown': entry('infra.proxmox.maintenance.shutdown', '    description: "Shutdown"\n    plane: domain_external\n    domain: home\n    requires: [x]\n'),
          'infra.post_power.recovery': entry('infra.post_power.recovery', '    description: "Recovery"\n    plane: false\n    domain: infra\n    requires: [x]\n'),
        }),
      },
      errors: [
        { messageId: 'wrongValue', data: { cap: 'infra.proxmox.maintenance.shutdown', field: 'plane', actual: 'domain_external', expected: 'fabric' }, line: at(1) + 2, column: 12 },
        { messageId: 'wrongValue', data: { cap: 'infra.proxmox.maintenance.shutdown', field: 'domain', actual: 'home', expected: 'infra' }, line: at(1) + 3, column: 13 },
        { messageId: 'wrongValue', data: { cap: 'infra.post_power.recovery', field: 'plane', actual: 'false', expected: 'fabric' }, line: at(4) + 2, column: 12 },
      ],
    },
    {
      name: 'requires empty (flow []), absent or an empty map; node_path.migrate is exempt',
      files: {
        capabilities: caps({
          'infra.proxmox.maintenance.startup': entry('infra.proxmox.maintenance.startup', '    description: "Startup"\n    plane: fabric\n    domain: infra\n    requires: []\n'),
          'infra.post_power.recovery.status': entry('infra.post_power.recovery.status', '    description: "Status"\n    plane: fabric\n    domain: infra\n    safety: read-only\n'),
          'infra.maintenance.window': entry('infra.maintenance.window', '    description: "Window"\n    plane: fabric\n    domain: infra\n    requires: {}\n'),
          'infra.proxmox.node_path.migrate': entry('infra.proxmox.node_path.migrate', '    description: "Migrate"\n    plane: fabric\n    domain: infra\n    requires: []\n'),
        }),
      },
      errors: [
        { messageId: 'missingRequires', data: { cap: 'infra.proxmox.maintenance.startup' }, line: at(2) + 4, column: 15 },
        { messageId: 'missingRequires', data: { cap: 'infra.post_power.recovery.status' }, line: at(3) + 1, column: 5 },
        { messageId: 'missingRequires', data: { cap: 'infra.maintenance.window' }, line: at(5) + 4, column: 15 },
      ],
    },
    {
      name: 'a strict cap without description is reported as such and still checked (the reference says "not found")',
      files: { capabilities: caps({ 'infra.maintenance.window': entry('infra.maintenance.window', '    plane: fabric\n    domain: infra\n') }) },
      errors: [
        { messageId: 'missingDescription', data: { cap: 'infra.maintenance.window' }, line: at(5) + 1, column: 5 },
        { messageId: 'missingRequires', data: { cap: 'infra.maintenance.window' }, line: at(5) + 1, column: 5 },
      ],
    },
    {
      name: 'a strict cap and an adjacent cap that are not maps',
      files: { capabilities: caps({ 'infra.maintenance.window': '  infra.maintenance.window:\n' }, '  secrets.status: "see secrets.binding"\n') },
      errors: [
        { messageId: 'notAMap', data: { cap: 'infra.maintenance.window', found: 'null' }, line: at(5), column: 3 },
        { messageId: 'notAMap', data: { cap: 'secrets.status', found: 'the string "see secrets.binding"' }, line: at(5) + 6, column: 19 },
      ],
    },
    {
      name: 'adjacent caps without plane and domain; empty and "null" values count as missing (the reference reads yq text)',
      files: {
        capabilities: caps({}, entry('secrets.binding', '    description: "Binding"\n') + entry('pihole.status', '    description: "Status"\n    plane: ""\n    domain: "null"\n')),
      },
      errors: [
        { messageId: 'missingField', data: { cap: 'secrets.binding', field: 'domain' }, line: 38, column: 5 },
        { messageId: 'missingField', data: { cap: 'secrets.binding', field: 'plane' }, line: 38, column: 5 },
        { messageId: 'missingField', data: { cap: 'pihole.status', field: 'plane' }, line: 41, column: 12 },
        { messageId: 'missingField', data: { cap: 'pihole.status', field: 'domain' }, line: 42, column: 13 },
      ],
    },
    {
      name: 'no capability matches the prefixes',
      files: { capabilities: `capabilities:\n${entry('spine.verify', '    description: "Verify"\n')}` },
      options: { strictCapabilities: [] },
      errors: [{ messageId: 'noAdjacent', data: { regex: '^(infra|caddy|auth|secrets|cloudflared|pihole|vaultwarden)\\.' }, line: 2, column: 3 }],
    },
  ],
});

describe('capability-metadata-parity messages', () => {
  it('reproduce the reference lines', () => {
    const found = runCase(check, {
      name: 'messages',
      files: {
        capabilities: caps({
          'infra.proxmox.maintenance.precheck': '',
          'infra.proxmox.maintenance.shutdown': entry('infra.proxmox.maintenance.shutdown', '    description: "x"\n    plane: domain_external\n    domain: infra\n'),
        }),
      },
    }).map((d) => d.message);
    expect(found).toEqual([
      "Capability 'infra.proxmox.maintenance.precheck' not found in capabilities.yaml",
      "Capability 'infra.proxmox.maintenance.shutdown' missing 'requires' preconditions",
      "Capability 'infra.proxmox.maintenance.shutdown' plane='domain_external' (expected 'fabric')",
    ]);
    const none = runCase(check, { name: 'none', files: { capabilities: 'capabilities: {}\n' }, options: { strictCapabilities: [] } });
    expect(none.map((d) => d.message)).toEqual(['No infra-core adjacent capabilities matched regex ^(infra|caddy|auth|secrets|cloudflared|pihole|vaultwarden)\\.']);
  });

  it('an unparsable capabilities.yaml is one parse finding; the check does not run (no seven "not found" lines)', () => {
    const report = runCheckOnFiles(check, { files: { [defaultPaths.capabilities]: 'capabilities:\n  infra.x: [\n' }, paths: defaultPaths });
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.results.filter((d) => d.checkId === 'parse').length).toBeGreaterThan(0);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: defaultPaths.capabilities, state: 'unparsable' }] }]);
  });
});
