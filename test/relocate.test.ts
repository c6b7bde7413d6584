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
import { cpSync } from 'node:fs';
import { git, gitCopyOfExample, REPO, runCli } from './support/exampleSpine.js';
import { TREES as CORPUS_TREES } from './support/corpus.js';

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

  /**
   * The runbook's steps 5 and 7 on a copy of a real snapshot in `planning` state (05-04e1158e, the media-stack
   * split: every service planned, VM download-stack planned with no Tailscale IP). A change of plan moves
   * navidrome to download-stack; the relocation and the service walk the state machine one step per commit,
   * as the transition capabilities do (spec §2.7, §2.8, §3.2, §3.3), and the PR gate's transition checks pass on
   * every commit. Each edit is asserted.
   */
  it('a real planning snapshot: navidrome walks planning → preflight → cutover (shadow → cutover) through the SSOTs, one checked step per commit', () => {
    const root = join(scratch, `case-${++counter}`);
    cpSync(join(CORPUS_TREES, '05-04e1158e'), root, { recursive: true });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'snapshot');
    const relocate = (...args: string[]) => cli(['relocate', 'navidrome', ...args], root);
    const refused = (args: string[], message: string): void => {
      const r = relocate(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe(`spine-lint: relocate: ${message}\n`);
      expect(git(root, 'status', '--porcelain')).toBe('');
    };
    // What the capabilities refuse, relocate refuses, writing nothing.
    refused(['--to', 'download-stack', '--status', 'shadow'], "relocation state 'planning' must be preflight/cutover/cleanup/complete before transitioning service to 'shadow' (pass --state)");
    refused(
      ['--to', 'download-stack', '--state', 'cutover'],
      'planning -> cutover is 2 steps: a state moves one step per change, as the transition capabilities move it and as the PR gate checks it (next: --state preflight, commit, then --state cutover)',
    );
    refused(['--to', 'download-stack', '--state', 'preflight'], "state 'preflight' requires VM status provisioned|ready|cutover|complete for 'download-stack' (got 'planned'): pass --vm-status");
    refused(
      ['--to', 'download-stack', '--state', 'preflight', '--vm-status', 'ready'],
      "vm status 'ready' requires tailscale IP (pass --tailscale-ip or set vm_targets tailscale_ip of 'download-stack')",
    );
    refused(
      ['--to', 'download-stack', '--state', 'preflight', '--vm-status', 'ready', '--tailscale-ip', '192.168.12.209'],
      "--tailscale-ip must be a Tailscale IPv4 address in 100.64.0.0/10 (got '192.168.12.209')",
    );
    refused(['--to', 'download-stack', '--approved-by', 'Ron\nny'], '--approved-by must be one line of printable text (a name or a handle such as @ronny)');
    refused(['--to', 'download-stack', '--approved-by', '\u0001x'], '--approved-by must be one line of printable text (a name or a handle such as @ronny)');

    const transitionsPass = (): void => {
      const r = cli(['check', '--base', 'HEAD~1', '--only', 'service-status-transition,relocation-state-transition,vm-target-status-transition'], root);
      expect(r.status, r.stdout).toBe(0);
    };
    const step = (args: string[], summary: string, edits: Record<string, string[]>): void => {
      const r = relocate(...args);
      expect(r.stderr).toContain(`spine-lint: relocated 'navidrome' to 'download-stack' (${summary})`);
      expect(changedLines(root)).toEqual(edits);
      git(root, 'commit', '-q', '-am', summary);
      transitionsPass();
    };
    // Step 5 (the VM is ready, the relocation enters preflight) and the first service step: in preflight D35 wants
    // every non-planned service on its to_host, so SERVICE_REGISTRY and services.health follow the manifest.
    step(
      ['--to', 'download-stack', '--state', 'preflight', '--vm-status', 'ready', '--tailscale-ip', '100.107.36.76', '--status', 'shadow', '--now', '2026-02-08T12:00:00Z'],
      'state planning → preflight, status planned → shadow',
      {
        'docs/governance/DEVICE_IDENTITY_SSOT.md': [
          '-| download-stack | TBD (VM 209) | Shop | Downloads + *arr (split from media-stack) |',
          '+| download-stack | 100.107.36.76 | Shop | Downloads + *arr (split from media-stack) |',
        ],
        'docs/governance/SERVICE_REGISTRY.yaml': ['-    host: streaming-stack', '+    host: download-stack'],
        'ops/bindings/infra.relocation.plan.yaml': [
          '-  state: "planning" # planning | preflight | cutover | cleanup | complete',
          '+  state: "preflight" # planning | preflight | cutover | cleanup | complete',
          '-  updated_at: "2026-02-08"',
          '+  updated_at: "2026-02-08T12:00:00Z"',
          '-    tailscale_ip: null # Assigned after provisioning',
          '+    tailscale_ip: 100.107.36.76 # Assigned after provisioning',
          '-    status: "planned"',
          '+    status: "ready"',
          '-    to_host: "streaming-stack"',
          '+    to_host: "download-stack"',
          '-    status: "planned"',
          '+    status: "shadow"',
        ],
        'ops/bindings/services.health.yaml': ['-    host: streaming-stack', '+    host: download-stack'],
      },
    );
    step(['--state', 'cutover', '--now', '2026-02-08T13:00:00Z'], 'state preflight → cutover', {
      'ops/bindings/infra.relocation.plan.yaml': [
        '-  state: "preflight" # planning | preflight | cutover | cleanup | complete',
        '+  state: "cutover" # planning | preflight | cutover | cleanup | complete',
        '-  updated_at: "2026-02-08T12:00:00Z"',
        '+  updated_at: "2026-02-08T13:00:00Z"',
      ],
    });
    step(['--status', 'cutover', '--now', '2026-02-08T14:00:00Z'], 'status shadow → cutover', {
      'ops/bindings/infra.relocation.plan.yaml': ['-  updated_at: "2026-02-08T13:00:00Z"', '+  updated_at: "2026-02-08T14:00:00Z"', '-    status: "shadow"', '+    status: "cutover"'],
    });
    // D35, D37 and SSOT completeness agree with the move; what is left is a decision for a person: navidrome's
    // compose stack also runs four other services, so no edit moves it.
    const left = JSON.parse(cli(['check', '-f', 'json', '--only', 'relocation-parity,placement-policy,relocation-ssot-completeness'], root).stdout) as {
      results: { messageId: string; message: string }[];
    };
    expect(left.results.map((d) => d.message)).toEqual([
      "docker.compose.targets.yaml target 'download-stack' has no stack for service 'navidrome' (its stack under 'streaming-stack' also runs jellyfin, jellyseerr, bazarr, homarr: split the stack or move them together)",
    ]);
  });
});
