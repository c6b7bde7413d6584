import check from '../../src/rules/health-endpoint-registry-parity.js';
import { expect, it } from 'vitest';
import { checkTester, runCase } from '../support/checkTester.js';

const registry = `services:
  pihole:
    host: infra-core
    port: 8053
    health: /admin
  files-api:
    host: mint-apps
    port: 3500
    health: /health
  immich-server:
    host: immich
    port: 2283
    health: /api/server/ping
  caddy:
    host: infra-core
    port: 80
  legacy-api:
    host: docker-host
    port: 3335
    health: /health
    status: deprecated
`;

const endpoint = (id: string, url: string, extra = '') => `  - id: ${id}\n    host: h\n    url: "${url}"\n${extra}`;
const health = (...eps: string[]) => `endpoints:\n${eps.join('')}`;

const good = health(
  endpoint('pihole', 'http://192.168.1.204:8053/admin'),
  endpoint('files-api-v2', 'http://192.168.1.213:3500/health'),
  endpoint('immich', 'http://192.168.1.203:2283/api/server/ping'),
  endpoint('caddy', 'http://192.168.1.204/'),
  endpoint('cloudflared', 'http://192.168.1.204:60123/metrics'),
);

checkTester(check, {
  valid: [
    { name: 'ports and paths agree (-v2 suffix, immich alias, default port 80, unknown ids ignored)', files: { SERVICE_REGISTRY: registry, 'services.health': good } },
    {
      name: 'disabled endpoints are not compared but still cover their service',
      files: {
        SERVICE_REGISTRY: registry,
        'services.health': health(
          endpoint('pihole', 'http://192.168.1.204:8054/admin/', '    enabled: false\n'),
          endpoint('files-api', 'http://x:3500/health'),
          endpoint('immich-server', 'http://x:2283/api/server/ping'),
        ),
      },
    },
    {
      name: 'URLs compared as URLs: /admin/ = /admin (the real pihole drift), explicit default port, scheme/host case, empty path = /, bare ?',
      files: {
        SERVICE_REGISTRY: `${registry}  homarr:
    host: streaming-stack
    port: 7575
    health: /
  sabnzbd:
    host: download-stack
    port: 8080
    health: api?mode=version
`,
        'services.health': health(
          endpoint('pihole', 'http://192.168.1.204:8053/admin/'),
          endpoint('files-api-v2', 'HTTP://MINT-APPS:3500/health?'),
          endpoint('immich', 'http://192.168.1.203:2283/api/server/ping//'),
          endpoint('caddy', 'http://192.168.1.204:80'),
          endpoint('homarr', 'http://192.168.1.210:7575'),
          endpoint('sabnzbd', 'http://192.168.1.209:8080/api/?mode=version'),
        ),
      },
    },
    {
      name: 'an alias from options',
      options: { aliases: { 'photos-probe': 'immich-server' } },
      files: {
        SERVICE_REGISTRY: registry,
        'services.health': health(endpoint('pihole', 'http://x:8053/admin'), endpoint('files-api', 'http://x:3500/health'), endpoint('photos-probe', 'http://x:2283/api/server/ping')),
      },
    },
  ],
  invalid: [
    {
      name: 'real differences stay findings: another path, path case, a default port that is not the registry port',
      files: {
        SERVICE_REGISTRY: registry,
        'services.health': health(
          endpoint('pihole', 'http://192.168.1.204:8053/admin/login/'),
          endpoint('files-api-v2', 'https://192.168.1.213/health'),
          endpoint('immich', 'http://192.168.1.203:2283/API/server/ping'),
        ),
      },
      errors: [
        { messageId: 'pathMismatch', data: { endpoint: 'pihole', service: 'pihole', actual: '/admin/login/', expected: '/admin' }, line: 4, column: 10, endColumn: 50 },
        { messageId: 'portMismatch', data: { endpoint: 'files-api-v2', service: 'files-api', actual: 443, expected: 3500 }, line: 7, column: 10 },
        { messageId: 'pathMismatch', data: { endpoint: 'immich', service: 'immich-server', actual: '/API/server/ping', expected: '/api/server/ping' }, line: 10, column: 10 },
      ],
    },
    {
      name: 'query string is part of the compared path; malformed url',
      files: {
        SERVICE_REGISTRY: registry,
        'services.health': health(endpoint('pihole', 'http://x:8053/admin?x=1'), endpoint('files-api-v2', 'not a url'), endpoint('immich', 'http://x:2283/api/server/ping')),
      },
      errors: [
        { messageId: 'pathMismatch', data: { endpoint: 'pihole', actual: '/admin?x=1' }, line: 4, column: 10 },
        { messageId: 'badUrl', data: { endpoint: 'files-api-v2', url: 'not a url' }, line: 7, column: 10 },
      ],
    },
    {
      name: 'a non-http URL with credentials is reported with user and password replaced by *** (message and data)',
      files: {
        SERVICE_REGISTRY: registry,
        'services.health': health(
          endpoint('files-api', 'ftp://user:S3cret@127.0.2.205:3000/api/health'),
          endpoint('pihole', 'http://x:8053/admin'),
          endpoint('immich', 'http://x:2283/api/server/ping'),
        ),
      },
      errors: [{ messageId: 'badUrl', data: { endpoint: 'files-api', url: 'ftp://***:***@127.0.2.205:3000/api/health' }, line: 4, column: 10 }],
    },
    {
      name: 'active registry services with a health path but no endpoint (deprecated ones and portless health skipped)',
      files: { SERVICE_REGISTRY: registry, 'services.health': health(endpoint('pihole', 'http://x:8053/admin')) },
      errors: [
        { messageId: 'missingEndpoint', data: { service: 'files-api', host: 'mint-apps', health: '/health' }, line: 9, column: 13 },
        { messageId: 'missingEndpoint', data: { service: 'immich-server' }, line: 13, column: 13 },
      ],
    },
    {
      name: 'options: suffix stripping turned off',
      options: { stripSuffixes: [] },
      files: { SERVICE_REGISTRY: registry, 'services.health': good },
      errors: [{ messageId: 'missingEndpoint', data: { service: 'files-api' }, line: 9, column: 13 }],
    },
  ],
});

it('a URL with credentials never reaches the message: user and password are ***', () => {
  const [d] = runCase(check, { name: 'ftp', files: { SERVICE_REGISTRY: registry, 'services.health': health(endpoint('files-api', 'ftp://user:S3cret@127.0.2.205:3000/api/health')) } }).filter(
    (x) => x.messageId === 'badUrl',
  );
  expect(d!.message).toBe("Endpoint 'files-api' url 'ftp://***:***@127.0.2.205:3000/api/health' is not an http(s) URL, so it cannot be compared with service 'files-api'.");
  expect(JSON.stringify(d)).not.toContain('S3cret');
});
