/**
 * Remote safety of the live probes (issue 9), end to end from the bindings: what the probe
 * engine's own tests (packages/core/test/probe/**) do not already cover.
 *
 * Only loopback is ever contacted: every executor here has `allow: loopback` AND a name resolver
 * that never sends a DNS packet, and every binding points at 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddressPolicy,
  buildCommand,
  executeLivePlan,
  formatPlan,
  LiveExecutor,
  MemorySource,
  planLiveChecks,
  prometheusTextfile,
  resolveAllowed,
  reporters,
  Workspace,
  writeRecording,
  type HttpObservation,
  type KeyedProbe,
  type Lookup,
  type ProbeReport,
  type SshObservation,
  type SshProbe,
} from '@spine-lint/core';
import { catalog, defaultPaths, remoteCommands } from '@spine-lint/checks';
import { LOOPBACK_ONLY, httpServer, handlers, type TestServer } from '../../packages/core/test/probe/servers.js';

const NOW = new Date('2026-03-05T12:00:00Z');
const CLI = fileURLToPath(new URL('../../packages/cli/dist/bin.cjs', import.meta.url));
const reporterContext = { color: false, cwd: '/', rootPrefix: '', version: '0.0.0-test' };

/** A loopback TCP listener that counts connections and never speaks (no SSH banner, no HTTP). */
async function silentServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: TcpServer = createTcpServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A resolver that records every name asked and answers only from a table (never a DNS packet). */
function spyLookup(table: Record<string, string[]> = {}): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const fn = (async (name: string) => {
    asked.push(name);
    const hit = table[name];
    if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return hit;
  }) as Lookup & { asked: string[] };
  fn.asked = asked;
  return fn;
}

const yamlString = (s: string): string => JSON.stringify(s);

/** Every text a probe run can produce: plan, every reporter, metrics, recording, observations. */
function everyOutput(report: ProbeReport, plan: string, dir: string): Record<string, string> {
  const out: Record<string, string> = { plan, metrics: prometheusTextfile(report, NOW), observations: JSON.stringify(report.observations) };
  for (const [name, reporter] of Object.entries(reporters)) out[name] = reporter(report, reporterContext);
  const file = join(dir, 'recording.json');
  writeRecording(file, report.observations, NOW);
  out.recording = readFileSync(file, 'utf8');
  return out;
}

describe('hostile SSH values from the bindings are refused before any connection, with a finding that says why', () => {
  let sshd: Awaited<ReturnType<typeof silentServer>>;
  let dir: string;
  beforeAll(async () => {
    sshd = await silentServer();
    dir = mkdtempSync(join(tmpdir(), 'spine-lint-remote-'));
  });
  afterAll(async () => {
    await sshd.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const BAD_HOSTS = ['-oProxyCommand=touch /tmp/pwned', '127.0.0.1;id', '127.0.0.1 evil', '127.0.0.1\nid', '$(id)', '`id`'];
  const BAD_USERS = ['-oProxyCommand=id', 'root;id', 'root id', 'root\nid', '$(id)'];
  const BAD_VMIDS = ['205; reboot', '-1', '205 206', '205\nreboot', '$(reboot)', '205`id`', '--help'];
  const BAD_PATHS = ['/tank/$(reboot)', '/tank/a b', '/tank/x\ny', '-rf', 'relative/dir', '/tank/../etc', "/tank/'x'"];
  const BAD_GLOBS = ['-delete', 'a b', 'x\ny', "x' ; rm -rf / ; '", '$(id)', '*;id', '-exec'];

  /** A spine whose every live probe carries one hostile value. */
  function hostileSpine(): Workspace {
    return new Workspace(new MemorySource(hostileFiles()), { paths: { ...defaultPaths } });
  }

  function hostileFiles(): Record<string, string> {
    const targets = [
      // The Proxmox host: a good target (so the vmid/path/glob refusals are about the arguments).
      `  - id: pve\n    host: "127.0.0.1"\n    port: ${sshd.port}\n    user: root\n`,
      ...BAD_HOSTS.map((h, i) => `  - id: badhost${i}\n    host: ${yamlString(h)}\n    port: ${sshd.port}\n`),
      ...BAD_USERS.map((u, i) => `  - id: baduser${i}\n    host: "127.0.0.1"\n    port: ${sshd.port}\n    user: ${yamlString(u)}\n`),
    ];
    const backups = [
      ...BAD_PATHS.map(
        (p, i) => `  - name: badpath${i}\n    enabled: true\n    kind: file_glob\n    host: pve\n    base_path: ${yamlString(p)}\n    glob: "vzdump-*.vma.zst"\n    stale_after_hours: 26\n`,
      ),
      ...BAD_GLOBS.map(
        (g, i) => `  - name: badglob${i}\n    enabled: true\n    kind: file_glob\n    host: pve\n    base_path: "/tank/backups"\n    glob: ${yamlString(g)}\n    stale_after_hours: 26\n`,
      ),
      ...[...BAD_HOSTS.keys()].map(
        (i) => `  - name: viabadhost${i}\n    enabled: true\n    kind: file_glob\n    host: badhost${i}\n    base_path: "/tank/backups"\n    glob: "x-*.zst"\n    stale_after_hours: 26\n`,
      ),
      ...[...BAD_USERS.keys()].map(
        (i) => `  - name: viabaduser${i}\n    enabled: true\n    kind: file_glob\n    host: baduser${i}\n    base_path: "/tank/backups"\n    glob: "x-*.zst"\n    stale_after_hours: 26\n`,
      ),
    ];
    const vms = BAD_VMIDS.map((v, i) => `  - hostname: vm${i}\n    vm_id: ${yamlString(v)}\n    proxmox_host: pve\n    status: active\n`);
    const profiles = `profiles:\n  spine-ready-v1:\n    readiness:\n      vm_running: true\n      qemu_agent_running: true\n      ssh_reachability: false\n      tailscale_connected: false\n      cron_running: false\n`;
    return {
      'ops/bindings/ssh.targets.yaml': `ssh:\n  defaults:\n    user: root\n    port: 22\n    connect_timeout_sec: 2\n  targets:\n${targets.join('')}`,
      'ops/bindings/backup.inventory.yaml': `targets:\n${backups.join('')}`,
      'ops/bindings/infra.relocation.plan.yaml': `vm_targets:\n${vms.join('')}`,
      'ops/bindings/infra.vm.profiles.yaml': profiles,
    };
  }

  it('spine-lint probe --dry-run (built CLI) on that spine: exit 0, every probe REFUSED with its reason, nothing sent', () => {
    const root = join(dir, 'spine');
    for (const [path, text] of Object.entries(hostileFiles())) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const res = spawnSync(process.execPath, [CLI, 'probe', '--dry-run', '--root', root], { encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    const probeLines = res.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(probeLines.length).toBeGreaterThan(30);
    expect(probeLines.filter((l) => !l.startsWith('  REFUSED '))).toEqual([]);
    expect(res.stdout).toContain('REFUSED qm-status: command \'qm-status\': vmid must be digits only (got "205; reboot")');
    expect(res.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(sshd.connections()).toBe(0);
  });

  it('library: every probe is refused-policy with attempts 0; no connection, no name lookup; each finding names the reason', async () => {
    const workspace = hostileSpine();
    const lookup = spyLookup({ localhost: ['127.0.0.1'] });
    const plan = planLiveChecks({ workspace, checks: catalog, now: NOW, commands: remoteCommands });
    const ssh = plan.checks.flatMap((c) => c.probes).filter((p): p is KeyedProbe & SshProbe => p.kind === 'ssh');
    // Every hostile value made it into a probe (the plan does not silently drop them) …
    expect(ssh.length).toBeGreaterThanOrEqual(BAD_PATHS.length + BAD_GLOBS.length + BAD_HOSTS.length + BAD_USERS.length + 2 * BAD_VMIDS.length);
    const report = await executeLivePlan(plan, new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, lookup, knownHostsFile: join(dir, 'known_hosts'), timeoutMs: 2000 }));
    // … and every one was refused before anything was sent.
    const obs = report.observations as SshObservation[];
    expect(obs.filter((o) => o.outcome !== 'refused-policy').map((o) => `${o.key}: ${o.outcome} ${o.error ?? ''}`)).toEqual([]);
    expect(obs.every((o) => o.attempts === 0 && o.address === undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(sshd.connections()).toBe(0);
    expect(lookup.asked).toEqual([]);
    expect(report.results.filter((r) => r.checkId === 'check-error')).toEqual([]);

    const messages = report.results.map((r) => r.message);
    const said = (re: RegExp): number => messages.filter((m) => re.test(m)).length;
    expect(said(/not probed: refused before connecting: invalid host /)).toBe(BAD_HOSTS.length);
    expect(said(/not probed: refused before connecting: invalid user name /)).toBe(BAD_USERS.length);
    expect(said(/not probed: refused before connecting: command 'newest-file': path (must be absolute|may contain only|must not contain '\.\.')/)).toBe(BAD_PATHS.length);
    expect(said(/not probed: refused before connecting: command 'newest-file': glob (must be non-empty|may contain only)/)).toBe(BAD_GLOBS.length);
    expect(said(/not probed: refused before connecting: command 'qm-(status|agent-ping)': vmid must be digits only/)).toBe(2 * BAD_VMIDS.length);
    // Findings are positioned at the binding value that caused them.
    const glob0 = report.results.find((r) => r.message.includes('backup badglob0 '))!;
    expect(glob0.file).toBe('ops/bindings/backup.inventory.yaml');
    expect(glob0.pointer).toMatch(new RegExp(`^/targets/${BAD_PATHS.length}/`));
    expect(glob0.line).toBeGreaterThan(1);
  });

  it('dry run: the plan shows each refused command and why, and prints hostile values escaped (one line each)', () => {
    const plan = planLiveChecks({ workspace: hostileSpine(), checks: catalog, now: NOW, commands: remoteCommands });
    const text = formatPlan(plan);
    expect(text).toContain('Nothing was sent.');
    expect(text).toMatch(/REFUSED newest-file: command 'newest-file': glob must be non-empty[^\n]* \(got "-delete"\)/);
    expect(text).toContain('badhost0 (ssh root@"-oProxyCommand=touch /tmp/pwned":');
    expect(text).toContain('REFUSED newest-file: invalid host "-oProxyCommand=touch /tmp/pwned" (a host name or IP address');
    expect(text).toContain('badhost3 (ssh root@"127.0.0.1\\nid":');
    expect(text).toContain('REFUSED newest-file: invalid user name "root;id"');
    expect(text).not.toMatch(/^\s*\$ .*\[backup-freshness\]/m);
    expect(text).toContain('REFUSED qm-status: command \'qm-status\': vmid must be digits only (got "205\\nreboot")');
    // No raw newline or control character from a binding reaches the terminal.
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    for (const line of text.split('\n')) expect(line, line).not.toMatch(/^id\b|^reboot\b|^y"/);
  });

  it('the command builder refuses spaces, newlines and leading dashes in every argument kind', () => {
    for (const vmid of BAD_VMIDS) expect(buildCommand(remoteCommands, 'qm-status', { vmid }), vmid).toMatchObject({ ok: false });
    for (const dir of BAD_PATHS) expect(buildCommand(remoteCommands, 'newest-file', { dir, glob: '*' }), dir).toMatchObject({ ok: false });
    for (const glob of BAD_GLOBS) expect(buildCommand(remoteCommands, 'newest-file', { dir: '/tank', glob }), glob).toMatchObject({ ok: false });
    for (const unit of ['cron;id', ' cron', 'cron\n', '-cron']) expect(buildCommand(remoteCommands, 'systemctl-is-active', { unit }), unit).toMatchObject({ ok: false });
  });
});

describe('HTTP: credentials, schemes, redirects, caps and timeouts, through the health-endpoints check', () => {
  const servers: Record<string, TestServer> = {};
  let seenAuth: string | undefined;
  let dir: string;
  beforeAll(async () => {
    servers.auth = await httpServer((req, res) => {
      seenAuth = req.headers.authorization;
      res.writeHead(503).end('down');
    });
    servers.target = await httpServer(handlers.healthy());
    servers.redirect = await httpServer((_q, res) => res.writeHead(302, { location: `${servers.target!.url}/-/healthy` }).end());
    servers.endless = await httpServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'y'.repeat(16 * 1024);
      const pump = (): void => {
        while (res.write(chunk)) {
          /* fill the socket */
        }
        res.once('drain', pump);
      };
      pump();
      res.on('close', () => res.removeAllListeners('drain'));
    });
    dir = mkdtempSync(join(tmpdir(), 'spine-lint-http-'));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  function spine(endpoints: [id: string, url: string, expect?: number][]): Workspace {
    const list = endpoints.map(([id, url, expect]) => `  - id: ${id}\n    host: h-${id}\n    url: ${yamlString(url)}\n    expect: ${expect ?? 200}\n`).join('');
    return new Workspace(
      new MemorySource({
        'ops/bindings/services.health.yaml': `version: 1\ndefaults:\n  connect_timeout_sec: 1\n  max_time_sec: 3\nendpoints:\n${list}`,
        // A running relocation with the service on to_host: its health_url is probed (health-endpoints plans no other).
        'ops/bindings/infra.relocation.plan.yaml': `active_relocation: {state: cutover}\nservices:\n  - service: relo\n    to_host: h\n    status: applied\n    health_url: "http://root:hunter2@127.0.0.1:${servers.auth!.port}/ready"\n`,
      }),
      { paths: { ...defaultPaths } },
    );
  }

  const run = async (workspace: Workspace, lookup: Lookup = spyLookup()): Promise<{ report: ProbeReport; plan: string }> => {
    const plan = planLiveChecks({ workspace, checks: catalog, only: ['health-endpoints'], now: NOW, commands: remoteCommands });
    const text = formatPlan(plan);
    return { report: await executeLivePlan(plan, new LiveExecutor({ allow: LOOPBACK_ONLY, lookup })), plan: text };
  };

  it('URL credentials are used for the request but redacted in the plan, findings, every reporter, metrics and the recording', async () => {
    const { report, plan } = await run(
      spine([
        ['cred', `http://admin:s3cret@127.0.0.1:${servers.auth!.port}/health`],
        ['ftpcred', 'ftp://admin:s3cret@127.0.0.1/x'],
      ]),
    );
    expect(seenAuth).toBe('Basic ' + Buffer.from('root:hunter2').toString('base64'));
    expect(report.results.map((r) => r.message)).toEqual(
      expect.arrayContaining([
        `cred (h-cred): expected HTTP 200, got HTTP 503 from http://***:***@127.0.0.1:${servers.auth!.port}/health in ${report.results.find((r) => r.data.endpoint === 'cred')!.data.durationMs} ms`,
      ]),
    );
    const outputs = everyOutput(report, plan, dir);
    expect(Object.keys(outputs).sort()).toEqual(['github', 'gitlab', 'json', 'junit', 'metrics', 'observations', 'plan', 'recording', 'sarif', 'stylish']);
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).not.toContain('s3cret');
      expect(text, name).not.toContain('hunter2');
      expect(text, name).not.toMatch(/admin:|root:h/);
    }
    expect(outputs.plan).toContain(`GET http://***:***@127.0.0.1:${servers.auth!.port}/health`);
  });

  it('non-http(s) schemes are refused with a finding; nothing is looked up', async () => {
    const lookup = spyLookup({ localhost: ['127.0.0.1'] });
    const { report } = await run(
      spine([
        ['ftp', 'ftp://localhost/x'],
        ['file', 'file:///etc/passwd'],
        ['gopher', 'gopher://localhost:70/'],
        ['js', 'javascript:alert(1)'],
        ['ws', 'ws://localhost/'],
      ]),
      lookup,
    );
    const got = Object.fromEntries(report.results.filter((r) => r.data.endpoint !== 'relo').map((r) => [r.data.endpoint, r.data.got]));
    expect(got).toEqual({
      ftp: "not probed: scheme 'ftp' refused (only http and https are probed)",
      file: "not probed: scheme 'file' refused (only http and https are probed)",
      gopher: "not probed: scheme 'gopher' refused (only http and https are probed)",
      js: "not probed: scheme 'javascript' refused (only http and https are probed)",
      ws: "not probed: scheme 'ws' refused (only http and https are probed)",
    });
    expect(lookup.asked).toEqual([]);
  });

  it('a redirect is reported as its status and never followed (the target gets no connection)', async () => {
    const before = servers.target!.connections();
    const { report } = await run(spine([['moved', `${servers.redirect!.url}/-/healthy`]]));
    const f = report.results.find((r) => r.data.endpoint === 'moved')!;
    expect(f.message).toMatch(/^moved \(h-moved\): expected HTTP 200, got HTTP 302 from /);
    expect(servers.target!.connections()).toBe(before);
  });

  it('an endless body is read up to the cap and then dropped, well before the timeout', async () => {
    const started = performance.now();
    const { report } = await run(spine([['endless', `${servers.endless!.url}/-/healthy`]]));
    const o = report.observations.find((x) => x.key.endsWith('endless')) as HttpObservation;
    expect(o).toMatchObject({ outcome: 'response', status: 200, bodyTruncated: true });
    expect(o.body!.length).toBe(64 * 1024);
    expect(performance.now() - started).toBeLessThan(2500);
    // The body expectation of Prometheus /-/healthy fails on the capped body, with a short excerpt.
    const f = report.results.find((r) => r.data.endpoint === 'endless')!;
    expect(f.messageId).toBe('bodyMismatch');
    expect(String(f.data.got).length).toBeLessThanOrEqual(80);
  });

  it('a name lookup that never answers times out (connect timeout), as a dns outcome', async () => {
    const never: Lookup = () => new Promise(() => undefined);
    const started = performance.now();
    const { report } = await run(spine([['slowdns', 'http://hangs.example.invalid/']]), never);
    const elapsed = performance.now() - started;
    const o = report.observations.find((x) => x.key.endsWith('slowdns'))!;
    expect(o).toMatchObject({ outcome: 'dns', attempts: 0, error: "DNS lookup of 'hangs.example.invalid' failed (timed out after 1000 ms)" });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
  });
});

describe('address policy: link-local and cloud metadata addresses', () => {
  it('169.254.0.0/16 is refused by default and by an allow list that does not name it; allowed only explicitly', () => {
    for (const a of ['169.254.169.254', '169.254.0.1', '169.254.255.255', '::ffff:169.254.169.254']) {
      expect(new AddressPolicy().check(a), a).toMatch(/link-local \(refused by default; allow it explicitly with --allow\)/);
      expect(new AddressPolicy(['10.0.0.0/8', '0.0.0.0/1']).check(a), a).toMatch(/outside the allowed ranges/);
      expect(new AddressPolicy(['169.254.0.0/16']).check(a), a).toBeUndefined();
    }
    expect(new AddressPolicy(['169.254.169.254']).check('169.254.169.253')).toMatch(/outside/);
    expect(new AddressPolicy().check('169.253.255.255')).toBeUndefined();
    expect(new AddressPolicy().check('169.255.0.0')).toBeUndefined();
  });

  it('cloud metadata addresses outside link-local (fd00:ec2::254, 100.100.100.200, 192.0.0.192) are refused by default; allowed only explicitly', async () => {
    for (const a of ['fd00:ec2::254', 'FD00:EC2:0:0:0:0:0:254', '100.100.100.200', '::ffff:100.100.100.200', '192.0.0.192']) {
      expect(new AddressPolicy().check(a), a).toMatch(/is a cloud metadata address \(refused by default; allow it explicitly with --allow\)/);
      expect(new AddressPolicy(['10.0.0.0/8', '2001:db8::/32']).check(a), a).toMatch(/outside the allowed ranges/);
      expect(new AddressPolicy([a.startsWith('::ffff:') ? a.slice(7) : a]).check(a), a).toBeUndefined();
    }
    // Their neighbours are ordinary addresses (a tailnet peer, another ULA, the rest of 192.0.0.0/24).
    for (const a of ['100.100.100.201', '100.100.100.199', 'fd00:ec2::253', 'fd00:ec2::1:254', '192.0.0.193']) expect(new AddressPolicy().check(a), a).toBeUndefined();
    // A name resolving to one is refused before connecting, with the reason.
    const resolution = await resolveAllowed('imds.example.test', new AddressPolicy(), async () => ['fd00:ec2::254']);
    expect(resolution).toEqual({
      ok: false,
      outcome: 'refused-policy',
      error: "refused before connecting: 'imds.example.test' resolves to fd00:ec2::254 is a cloud metadata address (refused by default; allow it explicitly with --allow)",
    });
  });
});

describe('SSH: every wait has a timeout, command output is capped', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spine-lint-sshcap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const probe = (port: number, extra: Partial<SshProbe> = {}): KeyedProbe & SshProbe => ({
    kind: 'ssh',
    id: 'p',
    key: 't/p',
    target: 'h',
    ssh: { id: 'h', host: '127.0.0.1', port, user: 'root' },
    command: 'tailscale-status',
    args: {},
    connectTimeoutMs: 800,
    commandTimeoutMs: 3000,
    ...extra,
  });

  it('a server that accepts TCP and never sends its banner: connect timeout', async () => {
    const silent = await silentServer();
    try {
      const started = performance.now();
      const [o] = await new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, knownHostsFile: join(dir, 'kh') }).execute([probe(silent.port)]);
      const elapsed = performance.now() - started;
      expect(o).toMatchObject({ outcome: 'timeout', error: 'connect timeout after 800 ms' });
      expect(silent.connections()).toBe(1);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });

  it('a command that floods stdout and stderr: each stream is kept up to 256 KiB', async () => {
    const { Server, utils } = await import('ssh2');
    const host = utils.generateKeyPairSync('ed25519');
    const client = utils.generateKeyPairSync('ed25519');
    const clientKey = join(dir, 'client');
    writeFileSync(clientKey, client.private, { mode: 0o600 });
    let sent = 0;
    const server = new Server({ hostKeys: [host.private] }, (conn) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
      conn.on('ready', () =>
        conn.on('session', (accept) =>
          accept().on('exec', (acceptExec) => {
            const stream = acceptExec();
            const chunk = 'z'.repeat(64 * 1024);
            for (let i = 0; i < 32; i++) {
              stream.write(chunk);
              stream.stderr.write(chunk);
              sent += chunk.length;
            }
            stream.exit(0);
            stream.end();
          }),
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${host.public.trim().split(/\s+/).slice(0, 2).join(' ')}\n`);
    try {
      const [o] = (await new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, knownHostsFile: knownHosts, identity: clientKey }).execute([
        probe(port, { connectTimeoutMs: 3000, commandTimeoutMs: 10_000 }),
      ])) as SshObservation[];
      expect(sent).toBe(2 * 1024 * 1024);
      expect(o).toMatchObject({ outcome: 'exited', exitCode: 0 });
      expect(o!.stdout!.length).toBe(256 * 1024);
      expect(o!.stderr!.length).toBe(256 * 1024);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
