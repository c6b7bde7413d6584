import { defineCheck } from '@spine-lint/core';
import { capabilityRegistry, type CapabilityEntry } from '../bindings/infra/capabilities.js';
import { isMap, isYqEmpty } from '../bindings/util.js';

export interface CapabilityMetadataParityOptions {
  /** Capabilities that must exist with the expected plane and domain and non-empty `requires`. */
  strictCapabilities: readonly string[];
  /** Strict capabilities that need no `requires`. */
  requiresExempt: readonly string[];
  expectedPlane: string;
  expectedDomain: string;
  /** Name prefixes (before the first `.`) of the infra-core adjacent capabilities, which need a plane and a domain. */
  adjacentPrefixes: readonly string[];
}

const DEFAULT_OPTIONS: CapabilityMetadataParityOptions = {
  strictCapabilities: [
    'infra.proxmox.maintenance.precheck',
    'infra.proxmox.maintenance.shutdown',
    'infra.proxmox.maintenance.startup',
    'infra.post_power.recovery.status',
    'infra.post_power.recovery',
    'infra.maintenance.window',
    'infra.proxmox.node_path.migrate',
  ],
  requiresExempt: ['infra.proxmox.node_path.migrate'],
  expectedPlane: 'fabric',
  expectedDomain: 'infra',
  adjacentPrefixes: ['infra', 'caddy', 'auth', 'secrets', 'cloudflared', 'pihole', 'vaultwarden'],
};

/** No preconditions: absent, null, `""`, the text `null` or `[]`, an empty list or an empty map. */
function requiresEmpty(r: CapabilityEntry['requires']): boolean {
  if (r === undefined) return true;
  if (typeof r === 'string') return isYqEmpty(r) || r.trim() === '[]';
  if (Array.isArray(r)) return r.length === 0;
  return isMap(r) && Object.keys(r).length === 0;
}

/** The reference's regex for the prefixes, as its message shows it. */
const prefixRegex = (prefixes: readonly string[]): string => `^(${prefixes.join('|')})\\.`;

/**
 * D137 infra-capability-metadata-parity (gates-tier2.md): the infra maintenance capabilities of
 * ops/capabilities.yaml carry their routing metadata (plane fabric, domain infra, preconditions), and
 * every infra-core adjacent capability declares a plane and a domain.
 */
export default defineCheck({
  id: 'capability-metadata-parity',
  aliases: ['D137'],
  title: 'Infra capabilities declare routing metadata',
  description:
    'In ops/capabilities.yaml, each strict infra capability (the Proxmox maintenance, post-power recovery, maintenance window and node-path migrate ' +
    "capabilities) exists with a description, plane 'fabric', domain 'infra' and non-empty `requires` (node_path.migrate excepted); every capability " +
    'named infra.*, caddy.*, auth.*, secrets.*, cloudflared.*, pihole.* or vaultwarden.* has a plane and a domain, and at least one such capability exists.',
  severity: 'error',
  kind: 'static',
  reads: ['capabilities'],
  fixHint: "Give the capability a 'plane' and a 'domain' (fabric / infra for the strict infra capabilities) and list its preconditions under 'requires'.",
  ports: 'surfaces/verify/d137-infra-capability-metadata-parity.sh',
  optionsSchema: {
    type: 'object',
    properties: {
      strictCapabilities: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Capabilities that must exist with `expectedPlane`, `expectedDomain` and non-empty `requires` (replaces the default list).',
      },
      requiresExempt: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Strict capabilities that need no `requires` (replaces the default list).' },
      expectedPlane: { type: 'string', minLength: 1, description: '`plane` of the strict capabilities.' },
      expectedDomain: { type: 'string', minLength: 1, description: '`domain` of the strict capabilities.' },
      adjacentPrefixes: {
        type: 'array',
        items: { type: 'string', minLength: 1, pattern: '^[^.]+$', title: 'a name segment without dots' },
        description: 'First name segments of the infra-core adjacent capabilities, which need a plane and a domain (replaces the default list).',
      },
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    missingFile: '{{file}} not found',
    noCapabilitiesMap: "{{file}} has no 'capabilities' map ({{path}} is {{found}}), so no capability can be checked.",
    notFound: "Capability '{{cap}}' not found in capabilities.yaml",
    notAMap: "Capability '{{cap}}' is {{found}}, not a map of fields.",
    missingDescription: "Capability '{{cap}}' has no 'description' field.",
    missingField: "Capability '{{cap}}' missing '{{field}}' field",
    wrongValue: "Capability '{{cap}}' {{field}}='{{actual}}' (expected '{{expected}}')",
    missingRequires: "Capability '{{cap}}' missing 'requires' preconditions",
    noAdjacent: 'No infra-core adjacent capabilities matched regex {{regex}}',
  },
  run(ctx) {
    const ws = ctx.workspace;
    const o = ctx.options;
    if (!ws.exists('capabilities')) {
      ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('capabilities') }, file: 'capabilities' });
      return;
    }
    const reg = capabilityRegistry(ws);
    if (reg.status !== 'loaded') return; // unparsable/unreadable: the runner skips the check and `parse` reports the file
    const file = reg.file;
    if (reg.shape !== 'map') {
      const atRoot = reg.shape === 'root-not-a-map';
      ctx.report({
        messageId: 'noCapabilitiesMap',
        data: { file: ws.pathOf(file), path: atRoot ? 'the document' : 'capabilities', found: reg.found },
        file,
        pointer: atRoot ? '' : '/capabilities',
      });
      return;
    }

    const strict = new Set(o.strictCapabilities);
    const exempt = new Set(o.requiresExempt);
    const planeAndDomain = (e: CapabilityEntry, expected?: { plane: string; domain: string }): void => {
      for (const field of ['plane', 'domain'] as const) {
        const actual = e[field];
        if (isYqEmpty(actual)) ctx.report({ messageId: 'missingField', data: { cap: e.name, field }, file, pointer: `${e.pointer}/${field}` });
        else if (expected && actual !== expected[field])
          ctx.report({ messageId: 'wrongValue', data: { cap: e.name, field, actual: actual!, expected: expected[field] }, file, pointer: `${e.pointer}/${field}` });
      }
    };

    // 1. The strict list, in its order.
    for (const cap of strict) {
      const e = reg.byName.get(cap);
      if (!e) {
        ctx.report({ messageId: 'notFound', data: { cap }, file, pointer: '/capabilities' });
        continue;
      }
      if (!e.isMap) {
        ctx.report({ messageId: 'notAMap', data: { cap, found: e.kind }, file, pointer: e.pointer });
        continue;
      }
      if (!e.hasDescription) ctx.report({ messageId: 'missingDescription', data: { cap }, file, pointer: e.pointer });
      planeAndDomain(e, { plane: o.expectedPlane, domain: o.expectedDomain });
      if (!exempt.has(cap) && requiresEmpty(e.requires)) ctx.report({ messageId: 'missingRequires', data: { cap }, file, pointer: `${e.pointer}/requires` });
    }

    // 2. The adjacent set, in file order; a strict capability was checked above (once, not twice).
    const prefixes = o.adjacentPrefixes.map((p) => `${p}.`);
    let matched = 0;
    for (const e of reg.entries) {
      if (!prefixes.some((p) => e.name.startsWith(p))) continue;
      matched++;
      if (strict.has(e.name)) continue;
      if (!e.isMap) ctx.report({ messageId: 'notAMap', data: { cap: e.name, found: e.kind }, file, pointer: e.pointer });
      else planeAndDomain(e);
    }
    if (matched === 0) ctx.report({ messageId: 'noAdjacent', data: { regex: prefixRegex(o.adjacentPrefixes) }, file, pointer: '/capabilities' });
  },
});
