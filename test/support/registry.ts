/**
 * A real npm registry for the install tests: verdaccio (test/support/registry/, installed by
 * install-test-tools.sh) on 127.0.0.1, with its storage in a temporary directory. The packages of
 * this repository are packed as `npm pack` packs them and published with `npm publish`; nothing
 * else is published. Their third-party dependencies come through verdaccio's uplink, the npm
 * registry this machine is configured with (the only network the tests use besides loopback, as
 * `npm ci` itself does). `spine-lint`, `@spine-lint/*` are never proxied: what is installed under
 * those names is what the test published.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const VERDACCIO = join(REPO, 'test/support/registry/node_modules/verdaccio/bin/verdaccio');

/** The workspace packages in publishing order (a package's dependencies first). */
export const PACKAGES = [
  { dir: 'packages/core', name: '@spine-lint/core' },
  { dir: 'packages/checks', name: '@spine-lint/checks' },
  { dir: 'packages/cli', name: 'spine-lint' },
] as const;

export interface Registry {
  url: string;
  /** An npmrc with the registry and a publish token (for `npm_config_userconfig`). */
  userconfig: string;
  /** Environment for npm commands run against this registry (`cleanEnv` with the registry and its token). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The test's environment for npm and the tools it installs: without the `npm_config_*` (and
 * `npm_package_*`) variables of the `npm test` that started vitest, which would configure the npm
 * commands run here. The loopback guard stays in NODE_OPTIONS: npm is exempt from it (it reaches the
 * registry), every spine-lint run is not.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_(config|package|lifecycle)_|^npm_command$|^INIT_CWD$/i.test(key)) delete env[key];
  return { ...env, ...extra };
}

/** Without the loopback guard either: verdaccio proxies the npm registry. */
function envWithoutGuard(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  env.NODE_OPTIONS = (env.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((o) => !o.includes('loopback-guard'))
    .join(' ');
  if (env.NODE_OPTIONS === '') delete env.NODE_OPTIONS;
  return env;
}

export async function startRegistry(work: string): Promise<Registry> {
  if (!existsSync(VERDACCIO)) throw new Error('verdaccio is not installed: run bash test/support/install-test-tools.sh (npm ci in test/support/registry)');
  const dir = join(work, 'registry');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const uplink = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: envWithoutGuard() }).trim() || 'https://registry.npmjs.org/';
  const ours = ['spine-lint', 'spine-lint-monorepo', '@spine-lint/*'];
  const config = [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks:',
    '  npmjs:',
    `    url: ${JSON.stringify(uplink)}`,
    '    timeout: 60s',
    'packages:',
    ...ours.flatMap((name) => [`  ${JSON.stringify(name)}:`, '    access: $all', '    publish: $authenticated']),
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: npmjs',
    'log: { type: stdout, format: json, level: warn }',
    'publish:',
    '  allow_offline: true',
    '',
  ].join('\n');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config);
  const child: ChildProcess = spawn(process.execPath, [VERDACCIO, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    env: envWithoutGuard(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}): ${log}`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A user for publishing (what `npm adduser` does), and an npmrc holding its token.
  const user = await fetch(`${url}-/user/org.couchdb.user:publisher`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'publisher', password: 'loopback-only-password', type: 'user', roles: [] }),
  });
  const { token } = (await user.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio refused the publishing user (${user.status})`);
  const userconfig = join(dir, 'npmrc');
  writeFileSync(userconfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\nfund=false\naudit=false\nupdate-notifier=false\n`);
  const env = cleanEnv({ npm_config_registry: url, npm_config_userconfig: userconfig, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' });
  return {
    url,
    userconfig,
    env,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
  files: string[];
}

/**
 * The workspace packages as `npm pack` makes them (from the current build: `npm test` builds
 * first), into `dest`. `--ignore-scripts`: the CLI's `prepare` would rebuild the whole repository.
 */
export function packPackages(dest: string): PackedPackage[] {
  mkdirSync(dest, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest, ...PACKAGES.flatMap((p) => ['--workspace', p.dir])], {
    cwd: REPO,
    encoding: 'utf8',
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const packed = JSON.parse(out) as { name: string; version: string; filename: string; files: { path: string }[] }[];
  return packed.map((p) => ({ name: p.name, version: p.version, tarball: join(dest, p.filename), files: p.files.map((f) => f.path).sort() }));
}

/** Publish packed packages to the registry, dependencies first (`npm publish <tarball>`). */
export function publish(registry: Registry, packed: readonly PackedPackage[]): void {
  for (const { name } of PACKAGES) {
    const pkg = packed.find((p) => p.name === name);
    if (!pkg) throw new Error(`${name} was not packed`);
    execFileSync('npm', ['publish', pkg.tarball, '--registry', registry.url], { cwd: REPO, env: registry.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

/** The version every workspace package and the root's dependency share. */
export function repoVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
}
