import { defineCheck } from '@spine-lint/core';
import { startupSequencing } from '../bindings/infra/startupSequencing.js';
import { isBlank, valueText, type CollectionProblem } from '../bindings/infra/valueKind.js';
import { optNumber } from '../bindings/util.js';

/** The two sites every startup sequence must cover. */
export const SITES = ['shop', 'home'] as const;

/**
 * D138 site-parity-maintenance-order (gates-tier2.md): startup.sequencing.yaml is format v2 or later
 * and every startup phase is tagged with a site, both sites represented.
 */
export default defineCheck({
  id: 'startup-site-parity',
  aliases: ['D138'],
  title: 'Startup sequencing site tags',
  description: 'ops/bindings/startup.sequencing.yaml has version >= 2 and at least one phase; every phase has site shop or home, and both sites have at least one phase.',
  severity: 'error',
  kind: 'static',
  reads: ['startup.sequencing'],
  fixHint: 'Tag each phase with `site: shop` or `site: home` (both sites need a phase) and set `version: 2` or later.',
  ports: 'surfaces/verify/d138-site-parity-maintenance-order.sh',
  messages: {
    missingFile: '{{file}} not found.',
    wrongShape: '{{file}}: {{path}} must be {{expected}} (found {{actual}}).',
    versionTooLow: 'startup.sequencing.yaml version={{version}} (expected >=2).',
    versionNotNumber: 'startup.sequencing.yaml version={{version}} is not a number (expected >=2).',
    noPhases: 'No phases found in startup.sequencing.yaml.',
    missingSite: "Phase {{phase}} missing 'site' tag.",
    invalidSite: "Phase {{phase}} has invalid site='{{site}}' (expected shop|home).",
    siteUnrepresented: 'No phases tagged with site={{site}}.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('startup.sequencing')) {
      ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('startup.sequencing') }, file: 'startup.sequencing' });
      return;
    }
    const seq = startupSequencing(ws);
    if (seq.status !== 'loaded') return; // unparsable or empty: the parse finding (the runner does not even run us)
    const file = seq.file;
    const shape = (p: CollectionProblem) => ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(file), path: p.path, expected: p.expected, actual: p.actual }, file, pointer: p.pointer });
    if (seq.rootProblem) return shape(seq.rootProblem);

    // 1. Format version (compared as a number: `2.1` is v2+, `1.5` is not).
    const version = seq.version;
    const at = seq.hasVersion ? '/version' : '';
    if (version === undefined || version === null) ctx.report({ messageId: 'versionTooLow', data: { version: 'null' }, file, pointer: at });
    else if (optNumber(version) === undefined) ctx.report({ messageId: 'versionNotNumber', data: { version: valueText(version) }, file, pointer: at });
    else if (optNumber(version)! < 2) ctx.report({ messageId: 'versionTooLow', data: { version: valueText(version) }, file, pointer: at });

    // 2. Phases and their site tags.
    if (seq.phasesProblem) return shape(seq.phasesProblem);
    if (seq.phases.length === 0) {
      ctx.report({ messageId: 'noPhases', file, pointer: seq.phasesPointer });
      return;
    }
    const seen = new Set<string>();
    for (const phase of seq.phases) {
      if (!phase.map) {
        shape({ pointer: phase.pointer, path: `phases[${phase.index}]`, expected: 'a map', actual: phase.kind });
        continue;
      }
      if (isBlank(phase.site)) ctx.report({ messageId: 'missingSite', data: { phase: phase.id }, file, pointer: phase.site === undefined ? phase.pointer : `${phase.pointer}/site` });
      else if (phase.site === 'shop' || phase.site === 'home') seen.add(phase.site);
      else ctx.report({ messageId: 'invalidSite', data: { phase: phase.id, site: valueText(phase.site) }, file, pointer: `${phase.pointer}/site` });
    }
    for (const site of SITES) if (!seen.has(site)) ctx.report({ messageId: 'siteUnrepresented', data: { site }, file, pointer: seq.phasesPointer });
  },
});
