import { defineCheck } from '@spine-lint/core';
import { capabilityMap, capabilityRegistry, type CapabilityNamesView } from '../bindings/infra/capabilities.js';

/** Byte (code point) order, as `sort` under the runner's `LC_ALL=C.UTF-8`. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * D67 capability-map-lock (gates-tier2.md): ops/bindings/capability_map.yaml indexes exactly the
 * capabilities ops/capabilities.yaml declares — same names, each once.
 */
export default defineCheck({
  id: 'capability-map-parity',
  aliases: ['D67'],
  title: 'Capability map covers exactly the registered capabilities',
  description:
    'The `capabilities` keys of ops/bindings/capability_map.yaml and ops/capabilities.yaml are the same set of names: every registered capability is in ' +
    'the map, the map has no capability the registry lacks, neither file is without capabilities, and no name is listed twice in either file.',
  severity: 'error',
  kind: 'static',
  reads: ['capabilities', 'capability_map'],
  fixHint: 'Add the missing capability to capability_map.yaml (plugin, script, safety), delete the phantom entry, or merge the repeated entries.',
  ports: 'surfaces/verify/d67-capability-map-lock.sh',
  messages: {
    missingFile: '{{file}} missing',
    noCapabilitiesMap: "{{file}} has no 'capabilities' map ({{path}} is {{found}}), so its capability names cannot be read.",
    noCapabilities: 'no capabilities found in {{side}} ({{file}})',
    missingFromMap: 'MISSING from map: {{cap}} (declared in {{source}}, absent from {{map}})',
    phantomInMap: 'PHANTOM in map: {{cap}} (in {{map}}, not declared in {{source}})',
  },
  run(ctx) {
    const ws = ctx.workspace;
    // The reference stops at the first missing file; so do we.
    for (const name of ['capabilities', 'capability_map'] as const) {
      if (ws.exists(name)) continue;
      ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf(name) }, file: name });
      return;
    }
    const source = capabilityRegistry(ws);
    const map = capabilityMap(ws);
    if (source.status !== 'loaded' || map.status !== 'loaded') return; // the runner skips the check; `parse` reports the file

    const readable = (view: CapabilityNamesView, side: 'source' | 'map'): boolean => {
      const file = ws.pathOf(view.file);
      if (view.shape === 'root-not-a-map' || view.shape === 'not-a-map') {
        const atRoot = view.shape === 'root-not-a-map';
        ctx.report({ messageId: 'noCapabilitiesMap', data: { file, path: atRoot ? 'the document' : 'capabilities', found: view.found }, file: view.file, pointer: atRoot ? '' : '/capabilities' });
        return false;
      }
      if (view.entries.length === 0) {
        ctx.report({ messageId: 'noCapabilities', data: { side, file }, file: view.file, pointer: '/capabilities' });
        return false;
      }
      return true;
    };
    const sourceOk = readable(source, 'source');
    const mapOk = readable(map, 'map');
    if (!sourceOk || !mapOk) return;

    const names = { source: ws.pathOf(source.file), map: ws.pathOf(map.file) };
    // A name listed twice in a file is a duplicate YAML key: `parse` reports it, and as YAML loads the
    // file (the last entry wins) the name is there once, so the name sets are compared as loaded.

    const missing = source.entries.filter((e) => !map.byName.has(e.name)).map((e) => e.name);
    for (const cap of missing.sort(byCodePoint)) ctx.report({ messageId: 'missingFromMap', data: { cap, ...names }, file: map.file, pointer: '/capabilities' });
    const phantom = map.entries.filter((e) => !source.byName.has(e.name));
    for (const e of phantom.sort((a, b) => byCodePoint(a.name, b.name))) ctx.report({ messageId: 'phantomInMap', data: { cap: e.name, ...names }, file: map.file, pointer: e.pointer });
  },
});
