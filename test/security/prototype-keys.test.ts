/**
 * Binding values that are names of Object.prototype members (`toString`, `constructor`,
 * `__proto__`, `hasOwnProperty`) are plain data everywhere: as a logical name or path given to
 * the workspace, and as a surface path a check reads. Found by test/fuzz.test.ts (a surface
 * named `toString` made `ws.text()` look up `paths.toString`, a function, and crash D281).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemorySource, runChecks, Workspace } from '@spine-lint/core';
import { main } from '../../packages/cli/src/main.js';
import { catalog, defaultPaths } from '@spine-lint/checks';

const NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('prototype member names in bindings', () => {
  it('the workspace treats them as plain paths', () => {
    const ws = new Workspace(new MemorySource({ toString: 'x: 1\n' }), { paths: { ...defaultPaths } });
    for (const name of NAMES) expect(ws.pathOf(name)).toBe(name);
    expect(ws.exists('toString')).toBe(true);
    expect(ws.text('toString')).toBe('x: 1\n');
    expect(ws.exists('constructor')).toBe(false);
    expect(ws.text('constructor')).toBeUndefined();
  });

  it('as surfaces and targets of ssh.target.lifecycle.contract (D281): findings, no check-error', () => {
    const contract = `decommissioned_targets:\n${NAMES.map((n) => `  - ${JSON.stringify(n)}\n`).join('')}active_reference_surfaces:\n${NAMES.map((n) => `  - ${JSON.stringify(n)}\n`).join('')}`;
    const ws = new Workspace(new MemorySource({ 'ops/bindings/ssh.target.lifecycle.contract.yaml': contract, toString: 'host: constructor\n' }), { paths: { ...defaultPaths } });
    const report = runChecks({ workspace: ws, checks: catalog, only: ['ssh-target-lifecycle'] });
    expect(report.results.filter((r) => r.checkId === 'check-error')).toEqual([]);
    // The surfaces that do not exist are reported as missing (D281 as the reference gate), by name.
    const missing = NAMES.slice(1).map(
      (n, i) =>
        `ops/bindings/ssh.target.lifecycle.contract.yaml:${10 + i}:5 missing active reference surface: ${n} (listed in active_reference_surfaces) does not exist, so it cannot be checked for decommissioned targets.`,
    );
    expect(report.results.map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([...missing, "toString:1:7 decommissioned target 'constructor' referenced in toString (line 1)."]);
  });
});

describe('prototype member names on the command line', () => {
  it('a command named after an Object.prototype member is an unknown command (exit 2), in-process and through the binary', async () => {
    const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.cjs', import.meta.url));
    for (const name of NAMES) {
      let stderr = '';
      const code = await main([name], { stdout: () => undefined, stderr: (t) => void (stderr += t), stdoutIsTTY: false, stderrIsTTY: false, cwd: process.cwd(), env: {} });
      expect(code, name).toBe(2);
      expect(stderr, name).toContain(`unknown command '${name}'`);
      const spawned = spawnSync(process.execPath, [cli, name], { encoding: 'utf8' });
      expect(spawned.status, name).toBe(2);
      expect(spawned.stderr, name).toBe(`spine-lint: unknown command '${name}' (commands: check, diff, list, explain, probe, lsp, mcp, relocate; see 'spine-lint --help')\n`);
    }
  });

  it('a --format named after an Object.prototype member is an unknown format (exit 2) for check and probe', async () => {
    const root = fileURLToPath(new URL('../../examples/phase4-observability', import.meta.url));
    for (const name of NAMES) {
      for (const command of ['check', 'probe']) {
        let stderr = '';
        const code = await main([command, '--root', root, '--format', name], {
          stdout: () => undefined,
          stderr: (t) => void (stderr += t),
          stdoutIsTTY: false,
          stderrIsTTY: false,
          cwd: process.cwd(),
          env: {},
        });
        expect(code, `${command} --format ${name}`).toBe(2);
        expect(stderr, `${command} --format ${name}`).toMatch(new RegExp(`^spine-lint: unknown format '${name.replace(/[$_]/g, '\\$&')}'`));
      }
    }
  });
});
