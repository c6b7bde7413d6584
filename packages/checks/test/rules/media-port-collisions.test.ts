import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import check from '../../src/rules/media-port-collisions.js';
import { defaultPaths } from '../../src/layout.js';
import { checkTester } from '../support/checkTester.js';

const FILE = 'ops/bindings/media.services.yaml';
/** A service entry (3 lines when both vm and port are given); undefined leaves the key out. */
const svc = (name: string, vm?: string, port?: string) => `  ${name}:\n${vm === undefined ? '' : `    vm: ${vm}\n`}${port === undefined ? '' : `    port: ${port}\n`}`;
const media = (...services: string[]) => `version: 1\nservices:\n${services.join('')}`;

checkTester(check, {
  valid: [
    {
      name: 'distinct ports per VM; the same port on two VMs is fine',
      files: { 'media.services': media(svc('radarr', 'download-stack', '7878'), svc('sonarr', 'download-stack', '8989'), svc('jellyfin', 'streaming-stack', '7878')) },
    },
    {
      name: 'services without a port (null, absent, false, "null", an entry with nothing under it) are not checked',
      files: {
        'media.services': media(
          svc('recyclarr', 'download-stack', 'null'),
          svc('unpackerr', 'download-stack'),
          svc('flaresolverr', 'download-stack', 'false'),
          svc('crosswatch', 'download-stack', '"null"'),
          svc('tdarr-node'),
        ),
      },
    },
    { name: 'an empty services map', files: { 'media.services': 'version: 1\nservices: {}\n' } },
  ],
  invalid: [
    {
      name: 'the binding is absent (trees 01-09)',
      files: {},
      errors: [{ messageId: 'missingFile', data: { file: FILE }, file: FILE, line: 1, column: 1 }],
    },
    {
      name: 'two and three services on one VM share a port (8080 and "8080" are one port); each later one names the first',
      files: {
        'media.services': media(
          svc('sabnzbd', 'download-stack', '8080'),
          svc('qbittorrent', 'download-stack', '"8080"'),
          svc('jellyfin', 'streaming-stack', '8096'),
          svc('tautulli', 'download-stack', '8080'),
        ),
      },
      errors: [
        { messageId: 'portCollision', data: { name: 'qbittorrent', first: 'sabnzbd', port: '8080', vm: 'download-stack' }, line: 8, column: 11 },
        { messageId: 'portCollision', data: { name: 'tautulli', first: 'sabnzbd', port: '8080', vm: 'download-stack' }, line: 14, column: 11 },
      ],
    },
    {
      name: 'file order, not JavaScript key order: a service named "2" written second is the later one',
      files: { 'media.services': media(svc('sabnzbd', 'download-stack', '8080'), svc('"2"', 'download-stack', '8080')) },
      errors: [{ messageId: 'portCollision', data: { name: '2', first: 'sabnzbd' }, line: 8, column: 11 }],
    },
    {
      name: 'a service with a port but no vm (absent, null): reported, not pooled on a VM called "null"',
      files: { 'media.services': media(svc('a', undefined, '9000'), svc('b', 'null', '9000')) },
      errors: [
        { messageId: 'missingVm', data: { name: 'a', port: '9000' }, line: 4, column: 5 },
        { messageId: 'missingVm', data: { name: 'b', port: '9000' }, line: 6, column: 9 },
      ],
    },
    {
      name: 'no services key',
      files: { 'media.services': 'version: 1\nports: {}\n' },
      errors: [{ messageId: 'wrongShape', data: { file: FILE, path: 'services', actual: 'missing' }, line: 1, column: 1 }],
    },
    {
      name: 'services written as a list (the bash read zero rows and passed silently)',
      files: { 'media.services': 'version: 1\nservices:\n  - name: radarr\n    vm: download-stack\n    port: 7878\n' },
      errors: [{ messageId: 'wrongShape', data: { path: 'services', expected: 'a map of services (name: { vm, port })', actual: 'a list' }, line: 3, column: 3 }],
    },
    {
      name: 'a root that is a scalar',
      files: { 'media.services': 'media services go here\n' },
      errors: [{ messageId: 'wrongShape', data: { path: '(root)', expected: 'a map', actual: 'the string "media services go here"' }, line: 1, column: 1 }],
    },
    {
      name: 'an entry that is not a map, a port that is a list, a vm that is a map (the bash @tsv failed: zero rows, silent pass)',
      files: { 'media.services': media('  radarr: 7878\n', svc('sonarr', 'download-stack', '[8989, 8990]'), svc('lidarr', '{ host: download-stack }', '8686')) },
      errors: [
        { messageId: 'wrongShape', data: { path: 'services.radarr', expected: 'a map (vm, port)', actual: 'the number 7878' }, line: 3, column: 11 },
        { messageId: 'wrongShape', data: { path: 'services.sonarr.port', expected: 'one port', actual: 'a list' }, line: 6, column: 11 },
        { messageId: 'wrongShape', data: { path: 'services.lidarr.vm', expected: 'a VM name', actual: 'a map' }, line: 8, column: 9 },
      ],
    },
  ],
});

describe('media-port-collisions on an unparsable binding', () => {
  it('its parse finding only, and the check does not run (the bash swallowed the yq error and passed silently)', () => {
    const report = runCheckOnFiles(check, { files: { [FILE]: 'services:\n  radarr: { port: 7878\n' }, paths: defaultPaths });
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.every((d) => d.checkId === 'parse' && d.severity === 'error')).toBe(true);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: FILE, state: 'unparsable' }] }]);
  });
});
