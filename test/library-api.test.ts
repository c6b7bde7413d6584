/**
 * The library surface, used the way other spine tooling would: the BUILT packages, resolved by
 * node through their package names (`@spine-lint/core`, `@spine-lint/checks`; not the vitest
 * source aliases), a workspace loaded from disk, the catalog plus custom checks written with
 * `defineCheck`, findings and a report. Then the same custom check as a plugin through
 * `.spine-lint.yaml` `plugins:` in the CLI.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/plugin/', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/dist/bin.cjs', import.meta.url));
const example = fileURLToPath(new URL('../examples/phase4-observability', import.meta.url));
const NOW = '2026-02-09T12:00:00Z';
const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';

interface Result {
  checkId: string;
  severity: string;
  file: string | null;
  line: number;
  column: number;
  data: Record<string, unknown>;
  message: string;
  fingerprint: string;
}

function node(args: string[], cwd = repo): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('library API (built packages)', () => {
  it('the package names resolve to the built dist entry points', () => {
    const require = createRequire(`${fixtures}consumer.mjs`);
    expect(realpathSync(require.resolve('@spine-lint/core'))).toBe(`${repo}packages/core/dist/index.js`);
    expect(realpathSync(require.resolve('@spine-lint/checks'))).toBe(`${repo}packages/checks/dist/index.js`);
  });

  it('loads a workspace, runs the catalog plus custom checks, and gets findings and a report', () => {
    const r = node([`${fixtures}consumer.mjs`, example, NOW]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { catalogIds: string[]; ran: number; results: Result[]; summary: { errors: number; warnings: number }; jsonResults: number };
    expect(out.catalogIds).toEqual(expect.arrayContaining(['relocation-parity', 'placement-policy']));
    // Every static catalog check and the two custom ones ran.
    expect(out.ran).toBeGreaterThanOrEqual(4);
    const seen = out.results.map((d) => `${d.checkId} ${d.severity} ${d.file}:${d.line}:${d.column}`);
    // The plugin check (severity raised to error through its alias) next to the catalog's D35.
    expect(seen).toContain(`drain-docker-host error ${REGISTRY}:14:11`);
    expect(seen).toContain(`drain-docker-host error ${REGISTRY}:50:11`);
    expect(seen).toContain(`relocation-parity error ${REGISTRY}:50:11`);
    // The in-script custom check passes on the example: VM 205 uses spine-ready-v1.
    expect(seen.filter((s) => s.startsWith('observability-vm-profile'))).toEqual([]);
    const drained = out.results.find((d) => d.checkId === 'drain-docker-host' && d.line === 14)!;
    expect(drained.data).toEqual({ service: 'mint-os-api', host: 'docker-host' });
    expect(drained.message).toBe("service 'mint-os-api' is still placed on 'docker-host', which is being drained");
    expect(drained.fingerprint).toMatch(/^[0-9a-f]{8,}$/);
    expect(out.summary.errors).toBe(out.results.filter((d) => d.severity === 'error').length);
    expect(out.jsonResults).toBe(out.results.length);
  });

  it('a custom check reports at the exact node when it fails', () => {
    const script = `
      import { MemorySource, Workspace, defineCheck, runChecks } from '@spine-lint/core';
      const check = defineCheck({
        id: 'vm-profile', title: 't', description: 'd', severity: 'error', kind: 'static', reads: ['vm.lifecycle'],
        messages: { wrong: "VM {{vmid}} uses '{{profile}}'" },
        run(ctx) {
          (ctx.workspace.yaml('vm.lifecycle')?.value?.vms ?? []).forEach((vm, i) => {
            if (vm.profile !== 'spine-ready-v1') ctx.report({ messageId: 'wrong', data: { vmid: vm.id, profile: vm.profile }, file: 'vm.lifecycle', pointer: '/vms/' + i + '/profile' });
          });
        },
      });
      const ws = new Workspace(new MemorySource({ 'ops/bindings/vm.lifecycle.yaml': 'vms:\\n  - id: 205\\n    profile: spine-ready-v1\\n  - id: 206\\n    profile: "ai-services-v1"\\n' }), { paths: { 'vm.lifecycle': 'ops/bindings/vm.lifecycle.yaml' } });
      const report = runChecks({ workspace: ws, checks: [check], now: new Date(0) });
      console.log(JSON.stringify(report.results.map((d) => [d.checkId, d.file, d.line, d.column, d.endColumn, d.message])));
    `;
    const r = node(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([['vm-profile', 'ops/bindings/vm.lifecycle.yaml', 5, 14, 30, "VM 206 uses 'ai-services-v1'"]]);
  });

  it('a plugin check loaded through .spine-lint.yaml plugins: runs in the CLI with its configured severity', () => {
    const r = node([bin, 'check', '--root', example, '--config', `${fixtures}.spine-lint.yaml`, '--now', NOW, '--format', 'json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { results: Result[] };
    const plugin = out.results.filter((d) => d.checkId === 'drain-docker-host').map((d) => `${d.severity} ${d.file}:${d.line}:${d.column} ${d.data.service}`);
    expect(plugin).toEqual([`error ${REGISTRY}:14:11 mint-os-api`, `error ${REGISTRY}:50:11 grafana`]);
    expect(r.status).toBe(1);
    // --only selects a plugin check by its alias too.
    const only = node([bin, 'check', '--root', example, '--config', `${fixtures}.spine-lint.yaml`, '--now', NOW, '--only', 'SITE1', '--format', 'json']);
    expect((JSON.parse(only.stdout) as { results: Result[] }).results.map((d) => d.checkId)).toEqual(['drain-docker-host', 'drain-docker-host']);
    // spine-lint list shows it next to the catalog.
    const list = node([bin, 'list', '--root', example, '--config', `${fixtures}.spine-lint.yaml`]);
    expect(list.stdout).toMatch(/drain-docker-host \(SITE1\)/);
  });

  it('a module that exports no checks is a usage error (exit 2) naming the plugin', () => {
    const r = node([bin, 'check', '--root', example, '--config', `${fixtures}bad-plugin.spine-lint.yaml`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("plugin './not-a-plugin.mjs' exports no checks");
    expect(r.stdout).toBe('');
  });
});
