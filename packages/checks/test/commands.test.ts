import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCommand } from '@spine-lint/core';
import { catalog, remoteCommands } from '@spine-lint/checks';

const build = (name: string, args: Record<string, string>) => buildCommand(remoteCommands, name, args);

describe('the spine command table (remoteCommands)', () => {
  it('builds exactly the allowlisted command lines, quoted', () => {
    expect(build('qm-status', { vmid: '205' })).toEqual({ ok: true, commandLine: "qm status '205'" });
    expect(build('qm-agent-ping', { vmid: '205' })).toEqual({ ok: true, commandLine: "qm agent '205' ping" });
    expect(build('qm-guest-network-interfaces', { vmid: '7' })).toEqual({ ok: true, commandLine: "qm guest cmd '7' network-get-interfaces" });
    expect(build('tailscale-status', {})).toEqual({ ok: true, commandLine: 'tailscale status --json' });
    expect(build('systemctl-is-active', { unit: 'cron' })).toEqual({ ok: true, commandLine: "systemctl is-active 'cron'" });
    expect(build('docker-compose-ls', {})).toEqual({ ok: true, commandLine: 'docker compose ls --all --format json' });
    expect(build('reachability', {})).toEqual({ ok: true, commandLine: 'true' });
    expect(build('newest-file', { dir: '/tank/backups/vzdump/dump', glob: 'vzdump-qemu-205-*.vma.zst' })).toEqual({
      ok: true,
      commandLine:
        "if [ -d '/tank/backups/vzdump/dump' ]; then find '/tank/backups/vzdump/dump' -mindepth 1 -maxdepth 1 -type f -path '/tank/backups/vzdump/dump/vzdump-qemu-205-*.vma.zst' -printf '%T@ %p\\n' | sort -n | tail -n 1; else echo 'no such directory' >&2; exit 3; fi",
    });
    // A trailing slash is dropped, a glob with a directory searches one level deeper, `/` stays `/`.
    const sub = build('newest-file', { dir: '/tank/runs/', glob: '*/manifest.txt' });
    expect(sub.ok && sub.commandLine).toContain("find '/tank/runs' -mindepth 2 -maxdepth 2 -type f -path '/tank/runs/*/manifest.txt'");
    const root = build('newest-file', { dir: '/', glob: 'x*' });
    expect(root.ok && root.commandLine).toContain("find '/' -mindepth 1 -maxdepth 1 -type f -path '/x*'");
  });

  it('the newest-file line is valid shell (sh -n)', () => {
    const nf = build('newest-file', { dir: '/tank/dump', glob: '*/m.txt' });
    expect(nf.ok).toBe(true);
    execFileSync('sh', ['-n', '-c', nf.ok ? nf.commandLine : '']);
  });

  it('refuses anything else, saying why', () => {
    expect(build('rm', {})).toMatchObject({ ok: false, error: expect.stringContaining("'rm' is not in the read-only allowlist (reachability, qm-status,") });
    expect(build('qm-status', { vmid: '205; reboot' })).toMatchObject({ ok: false, error: expect.stringContaining('vmid must be digits only') });
    expect(build('qm-status', { vmid: '-1' })).toMatchObject({ ok: false });
    expect(build('qm-status', {})).toMatchObject({ ok: false, error: "command 'qm-status' needs argument 'vmid'" });
    expect(build('qm-status', { vmid: '1', extra: 'x' })).toMatchObject({ ok: false, error: "command 'qm-status' takes no argument 'extra'" });
    expect(build('newest-file', { dir: '/tank/$(reboot)', glob: '*' })).toMatchObject({ ok: false, error: expect.stringContaining('path may contain only') });
    expect(build('newest-file', { dir: 'relative/dir', glob: '*' })).toMatchObject({ ok: false, error: expect.stringContaining('absolute') });
    expect(build('newest-file', { dir: '/a/../etc', glob: '*' })).toMatchObject({ ok: false, error: expect.stringContaining("'..'") });
    expect(build('newest-file', { dir: '/a', glob: '-delete' })).toMatchObject({ ok: false, error: expect.stringContaining("must not start with '-'") });
    expect(build('newest-file', { dir: '/a', glob: "x' ; rm -rf / ; '" })).toMatchObject({ ok: false });
    expect(build('systemctl-is-active', { unit: 'sshd' })).toMatchObject({ ok: false });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(build(name, {}), name).toMatchObject({ ok: false });
  });

  it('is fixed and read-only: frozen, spec by spec; nothing can be added, replaced or removed', () => {
    expect(Object.isFrozen(remoteCommands)).toBe(true);
    expect(Object.keys(remoteCommands)).toEqual([
      'reachability',
      'qm-status',
      'qm-agent-ping',
      'qm-guest-network-interfaces',
      'tailscale-status',
      'systemctl-is-active',
      'docker-compose-ls',
      'newest-file',
    ]);
    for (const spec of Object.values(remoteCommands)) {
      expect(Object.isFrozen(spec)).toBe(true);
      expect(Object.isFrozen(spec.args)).toBe(true);
    }
    const table = remoteCommands as unknown as Record<string, unknown>;
    expect(() => (table.rm = { description: 'x', args: {}, template: 'rm -rf /' })).toThrow(TypeError);
    expect(() => ((remoteCommands['qm-status'] as { template: string }).template = 'reboot')).toThrow(TypeError);
    expect(() => delete table.reachability).toThrow(TypeError);
    expect(build('qm-status', { vmid: '1' })).toEqual({ ok: true, commandLine: "qm status '1'" });
  });

  it('every SSH probe the live checks plan names a command of the table', async () => {
    // The checks name commands through the CommandName type; this is the run-time side of it.
    const { MemorySource, Workspace, planLiveChecks } = await import('@spine-lint/core');
    const { defaultPaths, recordIdFields } = await import('../src/layout.js');
    const files: Record<string, string> = {
      'ops/bindings/ssh.targets.yaml': 'ssh:\n  targets:\n    - id: pve\n      host: 10.0.0.1\n    - id: vm1\n      host: 10.0.0.2\n    - id: nas\n      host: 10.0.0.3\n',
      'ops/bindings/infra.relocation.plan.yaml': 'vm_targets:\n  - hostname: vm1\n    vm_id: 201\n    status: ready\n',
      'ops/bindings/vm.lifecycle.yaml': 'vms:\n  - hostname: vm1\n    lan_ip: 10.0.0.2\n',
      'ops/bindings/backup.inventory.yaml': 'targets:\n  - name: b\n    enabled: true\n    kind: file_glob\n    host: nas\n    base_path: /tank\n    glob: "*.zst"\n',
      'ops/bindings/docker.compose.targets.yaml': 'targets:\n  vm1:\n    ssh_target: vm1\n    stacks:\n      - name: s\n',
    };
    const workspace = new Workspace(new MemorySource(files), { paths: defaultPaths, recordIdFields });
    const plan = planLiveChecks({ workspace, checks: catalog, commands: remoteCommands });
    const commands = new Set(plan.checks.flatMap((c) => c.probes).flatMap((p) => (p.kind === 'ssh' ? [p.command] : [])));
    expect([...commands].sort()).toEqual(Object.keys(remoteCommands).sort());
  });
});
