/**
 * `spine-lint relocate <service> --to <host>` (issue 17) through the built CLI on git copies of the
 * example spine: the manifest entry and every SSOT edit the checks require, asserted edit by edit;
 * `--dry-run` writes nothing and its diff is what the command writes; the check run afterwards.
 *
 * Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitCopyOfExample, REPO, runCli } from './support/exampleSpine.js';

let scratch: string;
let counter = 0;
beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-relocate-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const example = (): string => gitCopyOfExample(join(scratch, `case-${++counter}`));
const cli = (args: string[], cwd: string) => runCli(args, cwd, scratch);
/** The changed lines of `git diff`, per file: `-old` / `+new`. */
function changedLines(root: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let file = '';
  for (const line of git(root, 'diff', '-U0', '--no-color').split('\n')) {
    const m = /^\+\+\+ b\/(.*)$/.exec(line);
    if (m) file = m[1]!;
    else if (/^[-+](?![-+]{2} )/.test(line) && !line.startsWith('--- ')) (out[file] ??= []).push(line);
  }
  return out;
}

describe('spine-lint relocate', () => {
  it("the guide's worked example: relocate grafana --to observability makes the registry follow the manifest; check then exits 0", () => {
    const root = example();
    const r = cli(['relocate', 'grafana', '--to', 'observability'], root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("spine-lint: relocated 'grafana' to 'observability': 1 file changed (docs/governance/SERVICE_REGISTRY.yaml)\n");
    expect(r.stdout).toMatch(/✔ no problems/);
    expect(changedLines(root)).toEqual({ 'docs/governance/SERVICE_REGISTRY.yaml': ['-    host: docker-host', '+    host: observability'] });
    expect(cli(['check'], root).status).toBe(0);
  });

  it('relocate loki --to infra-core: the manifest, SERVICE_REGISTRY, services.health (host and address) and the compose stack move, each edit asserted; only loki is touched', () => {
    const root = example();
    const dry = cli(['relocate', 'loki', '--to', 'infra-core', '--dry-run'], root);
    expect(dry.status).toBe(1); // grafana's own finding is still there: relocate fixes only loki
    expect(git(root, 'status', '--porcelain')).toBe('');
    const r = cli(['relocate', 'loki', '--to', 'infra-core'], root);
    expect(r.stderr).toContain("spine-lint: relocated 'loki' to 'infra-core': 4 files changed");
    expect(changedLines(root)).toEqual({
      'docs/governance/SERVICE_REGISTRY.yaml': ['-    host: observability', '+    host: infra-core'],
      'ops/bindings/docker.compose.targets.yaml': ['+      - name: loki', '+        path: /opt/stacks/loki', '-      - name: loki', '-        path: /opt/stacks/loki'],
      'ops/bindings/infra.relocation.plan.yaml': ['-    to_host: "observability"', '+    to_host: "infra-core"'],
      'ops/bindings/services.health.yaml': ['-    host: observability', '-    url: "http://127.0.2.205:3100/ready"', '+    host: infra-core', '+    url: "http://127.0.2.204:3100/ready"'],
    });
    // The loki stack now sits under infra-core's stacks (before the blank line), uptime-kuma stays.
    expect(readFileSync(join(root, 'ops/bindings/docker.compose.targets.yaml'), 'utf8')).toMatch(
      /- name: vaultwarden\n {8}path: \/opt\/stacks\/vaultwarden\n {6}- name: loki\n {8}path: \/opt\/stacks\/loki\n\n {2}observability:/,
    );
    // What is left is grafana's pre-existing finding only.
    const left = JSON.parse(cli(['check', '-f', 'json'], root).stdout) as { results: { data: { service?: string } }[] };
    expect(new Set(left.results.map((d) => d.data.service))).toEqual(new Set(['grafana']));
    // The dry run's diff is exactly what was written.
    writeFileSync(join(scratch, 'dry.diff'), dry.stdout);
    const written = git(root, 'diff');
    git(root, 'checkout', '-q', '.');
    git(root, 'apply', join(scratch, 'dry.diff'));
    expect(git(root, 'diff')).toBe(written);
  });

  it('a misspelt service or host is exit 2 with the closest name; nothing written', () => {
    const root = example();
    const host = cli(['relocate', 'loki', '--to', 'infracore'], root);
    expect(host.status).toBe(2);
    expect(host.stderr).toBe("spine-lint: relocate: 'infracore' is not a host of ops/bindings/ssh.targets.yaml (did you mean 'infra-core'?): a service moves to a host the spine can reach\n");
    const svc = cli(['relocate', 'lokii', '--to', 'infra-core'], root);
    expect(svc.status).toBe(2);
    expect(svc.stderr).toBe("spine-lint: relocate: service 'lokii' is not in ops/bindings/infra.relocation.plan.yaml (did you mean 'loki'?); add its entry (status planned) first\n");
    expect(cli(['relocate', '--to', 'infra-core'], root).status).toBe(2);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });
});
