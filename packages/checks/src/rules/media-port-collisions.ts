import { defineCheck } from '@spine-lint/core';
import { mediaServices } from '../bindings/infra/mediaServices.js';
import { isBlank, valueKind, type CollectionProblem } from '../bindings/infra/valueKind.js';
import { optScalar } from '../bindings/util.js';

/**
 * D106 media-port-collision-lock (gates-tier2.md): no two media services on the same VM declare the
 * same port. The same port on different VMs is fine (distinct addresses).
 */
export default defineCheck({
  id: 'media-port-collisions',
  aliases: ['D106'],
  title: 'Media service port collisions',
  description:
    'In ops/bindings/media.services.yaml, no two services with the same vm declare the same port (services without a port are not checked). The file must ' +
    'exist and hold a `services` map; a service with a port must name its vm.',
  severity: 'error',
  kind: 'static',
  reads: ['media.services'],
  fixHint: 'Give one of the two services another port (and change its compose file to match), or correct its vm.',
  ports: 'surfaces/verify/d106-media-port-collision-lock.sh',
  messages: {
    missingFile: '{{file}} binding not found.',
    wrongShape: '{{file}}: {{path}} must be {{expected}} (found {{actual}}).',
    portCollision: 'Port collision: {{name}} and {{first}} both use {{port}} on {{vm}}.',
    missingVm: 'Service {{name}} declares port {{port}} but no vm: its port cannot be checked for collisions.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('media.services')) {
      ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('media.services') }, file: 'media.services' });
      return;
    }
    const media = mediaServices(ws);
    if (media.status !== 'loaded') return; // unparsable or empty: the parse finding (the runner does not even run us)
    const file = media.file;
    const shape = (p: CollectionProblem) => ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(file), path: p.path, expected: p.expected, actual: p.actual }, file, pointer: p.pointer });
    if (media.problem) return shape(media.problem);

    // The first service claiming <vm>:<port> owns it.
    const owners = new Map<string, string>();
    for (const s of media.services) {
      const path = `services.${s.name}`;
      if (!s.map) {
        if (s.value === null) continue; // `tdarr-node:` with nothing under it: no port (yq's `.port // "null"`)
        shape({ pointer: s.pointer, path, expected: 'a map (vm, port)', actual: s.kind });
        continue;
      }
      // yq's `.port // "null"`: a null, absent or `false` port is no port.
      if (isBlank(s.port) || s.port === false) continue;
      const port = optScalar(s.port);
      if (port === undefined) {
        shape({ pointer: `${s.pointer}/port`, path: `${path}.port`, expected: 'one port', actual: valueKind(s.port) });
        continue;
      }
      const vm = optScalar(s.vm);
      if (isBlank(s.vm) || vm === undefined) {
        if (isBlank(s.vm)) ctx.report({ messageId: 'missingVm', data: { name: s.name, port }, file, pointer: s.vm === undefined ? s.pointer : `${s.pointer}/vm` });
        else shape({ pointer: `${s.pointer}/vm`, path: `${path}.vm`, expected: 'a VM name', actual: valueKind(s.vm) });
        continue;
      }
      const key = `${vm}\u0000${port}`;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, s.name);
      else ctx.report({ messageId: 'portCollision', data: { name: s.name, first, port, vm }, file, pointer: `${s.pointer}/port` });
    }
  },
});
