/**
 * Differential test: our relocation-parity (D35) and placement-policy (D37) against the verdicts of
 * the reference bash gates on every snapshot of the corpus (../shared/corpus/snapshots). In-process:
 * Workspace + DirectorySource + runChecks. Each documented divergence is asserted explicitly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, Workspace, type Check, type FileRead, type FileSource } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping

const SNAPSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus', 'snapshots');

interface GateResult {
  present: boolean;
  exit_code: number | null;
  verdict: 'pass' | 'fail' | 'absent';
  stdout: string[];
  stderr: string[];
}
type Oracle = { results: Record<'d35' | 'd37' | 'checker' | 'parity', GateResult> };

const snapshots = existsSync(SNAPSHOTS)
  ? readdirSync(SNAPSHOTS)
      .filter((d) => /^\d{3}-[0-9a-f]{8}$/.test(d))
      .sort()
  : [];

/** The oracle of a gate: the snapshot's own scripts, or the newest scripts when the gate did not exist yet. */
function oracleFor(dir: string, gate: keyof Oracle['results']): GateResult {
  const own = (JSON.parse(readFileSync(join(SNAPSHOTS, dir, 'oracle.json'), 'utf8')) as Oracle).results[gate];
  if (own.verdict !== 'absent') return own;
  const headPath = join(SNAPSHOTS, dir, 'oracle.head.json');
  return existsSync(headPath) ? (JSON.parse(readFileSync(headPath, 'utf8')) as Oracle).results[gate] : own;
}

/** `(N issue(s))` on the last stderr line; `undefined` for a fatal failure without a count, or a pass. */
function issueCount(result: GateResult): number | undefined {
  const m = /\((\d+) issue\(s\)\)/.exec(result.stderr[result.stderr.length - 1] ?? '');
  return m ? Number(m[1]) : undefined;
}

const byId = (id: string): Check => catalog.find((c) => c.id === id)!;

function run(dir: string, checkId: string): { verdict: 'pass' | 'fail'; errors: number; messages: string[] } {
  const workspace = new Workspace(new DirectorySource(join(SNAPSHOTS, dir)), { paths: defaultPaths });
  const report = runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') });
  const ours = report.results.filter((r) => r.checkId === checkId && r.severity === 'error');
  const crashes = report.results.filter((r) => r.checkId === 'check-error');
  expect(crashes, crashes.map((c) => c.message).join('\n')).toEqual([]);
  return { verdict: ours.length > 0 ? 'fail' : 'pass', errors: ours.length, messages: ours.map((r) => r.message) };
}

describe.skipIf(snapshots.length === 0)('differential: relocation-parity (D35) vs the reference', () => {
  it('covers every snapshot', () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(158);
  });
  it.each(snapshots)('%s', (dir) => {
    const oracle = oracleFor(dir, 'd35');
    const ours = run(dir, 'relocation-parity');
    expect(ours.verdict, ours.messages.join('\n')).toBe(oracle.verdict);
    expect(ours.errors).toBe(issueCount(oracle) ?? (oracle.verdict === 'fail' ? 1 : 0));
  });
});

/** Snapshots before the placement policy existed and without a relocation manifest (001–014). */
const noManifest = (dir: string): boolean => !existsSync(join(SNAPSHOTS, dir, 'ops/bindings/infra.relocation.plan.yaml'));

describe.skipIf(snapshots.length === 0)('differential: placement-policy (D37) vs the reference', () => {
  it.each(snapshots)('%s', (dir) => {
    const d37 = oracleFor(dir, 'd37');
    const checker = oracleFor(dir, 'checker');
    const ours = run(dir, 'placement-policy');
    if (noManifest(dir)) {
      // Documented divergence (docs/checks/placement-policy.md): the reference D37 tests for the policy
      // file before the manifest, so a repository with neither fails ("placement policy binding
      // missing"). With no relocation manifest there is nothing to place: we pass.
      expect(d37.verdict).toBe('fail');
      expect(d37.stderr.at(-1)).toMatch(/^D37 FAIL: placement policy binding missing/);
      expect(ours).toEqual({ verdict: 'pass', errors: 0, messages: [] });
      return;
    }
    expect(ours.verdict, ours.messages.join('\n')).toBe(d37.verdict);
    // D37 hides the checker's stdout; the count is the checker's `(N issue(s))` (same run, same count).
    expect(issueCount(d37)).toBe(issueCount(checker));
    expect(ours.errors, ours.messages.join('\n')).toBe(issueCount(d37) ?? (d37.verdict === 'fail' ? 1 : 0));
    if (checker.verdict === 'fail' && issueCount(checker) !== undefined) {
      // Same violations, not only the same number: every `  FAIL: <msg>` line of the checker is the start of one of our messages.
      const expected = checker.stdout.filter((l) => l.startsWith('  FAIL: ')).map((l) => l.slice('  FAIL: '.length));
      expect(expected).toHaveLength(ours.errors);
      for (const line of expected)
        expect(
          ours.messages.some((m) => m.startsWith(line)),
          line,
        ).toBe(true);
    }
  });

  it('the real D37 negative 069-c623e68b: 29 × rollback host media-stack unmapped', () => {
    const ours = run('069-c623e68b', 'placement-policy');
    expect(ours.errors).toBe(29);
    expect(new Set(ours.messages.map((m) => m.replace(/ \(service '.*'\)$/, '')))).toEqual(new Set(["rollback host 'media-stack' missing hosts mapping in placement policy"]));
  });
});

/** A snapshot directory with some files replaced (string) or deleted (null): Appendix A's synthetic negatives. */
class OverlaySource implements FileSource {
  readonly label: string;
  private readonly base: DirectorySource;
  constructor(
    root: string,
    private readonly overrides: Record<string, string | null>,
  ) {
    this.base = new DirectorySource(root);
    this.label = `${root}+overlay`;
  }
  read(path: string, maxBytes: number): FileRead {
    if (path in this.overrides) {
      const text = this.overrides[path];
      return text === null || text === undefined ? { status: 'missing' } : { status: 'ok', bytes: new TextEncoder().encode(text) };
    }
    return this.base.read(path, maxBytes);
  }
  list(dir: string): string[] {
    return this.base.list(dir);
  }
}

const snapshotFile = (dir: string, path: string): string => readFileSync(join(SNAPSHOTS, dir, path), 'utf8');
/** Replace exactly one occurrence (the fixture edit must hit the line it means). */
function edit(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, from.flags.includes('g') ? from.flags : from.flags + 'g')) ?? []).length;
  expect(count, `fixture edit ${String(from)}`).toBe(1);
  return text.replace(from, to);
}

function runOverlay(dir: string, checkId: string, overrides: Record<string, string | null>) {
  const workspace = new Workspace(new OverlaySource(join(SNAPSHOTS, dir), overrides), { paths: defaultPaths });
  const report = runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') });
  return report.results.filter((r) => r.checkId === checkId || r.checkId === 'check-error');
}

const REG = 'docs/governance/SERVICE_REGISTRY.yaml';
const SSH = 'ops/bindings/ssh.targets.yaml';
const PLAN = 'ops/bindings/infra.relocation.plan.yaml';
const POLICY = 'ops/bindings/infra.placement.policy.yaml';
const BASE = '017-2fc48e43'; // Appendix A: cutover, approved, the active-state positive

describe.skipIf(snapshots.length === 0)('Appendix A synthetic negatives on 2fc48e43', () => {
  it('the base passes D35 and D37', () => {
    expect(runOverlay(BASE, 'relocation-parity', {})).toEqual([]);
    expect(runOverlay(BASE, 'placement-policy', {})).toEqual([]);
  });

  it('drop services.infisical from SERVICE_REGISTRY → PARITY MISMATCH: infisical missing', () => {
    const reg = edit(snapshotFile(BASE, REG), /\n  infisical:\n(    .*\n)+/, '\n');
    const found = runOverlay(BASE, 'relocation-parity', { [REG]: reg });
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/^PARITY MISMATCH: infisical missing from SERVICE_REGISTRY\.yaml/)]);
    expect(found[0]).toMatchObject({ file: PLAN, data: { service: 'infisical' } });
    // D37 sees it too (registry check past planned) — same count as the reference would print.
    expect(runOverlay(BASE, 'placement-policy', { [REG]: reg }).map((d) => d.messageId)).toEqual(['registryServiceMissing']);
  });

  it('registry pihole.host: docker-host → manifest says infra-core, registry says docker-host', () => {
    const reg = edit(snapshotFile(BASE, REG), '  pihole:\n    host: infra-core', '  pihole:\n    host: docker-host');
    const found = runOverlay(BASE, 'relocation-parity', { [REG]: reg });
    expect(found.map((d) => d.message)).toEqual(['PARITY MISMATCH: pihole - manifest says infra-core, registry says docker-host']);
    expect(found[0]).toMatchObject({ file: REG, line: 45, column: 11 });
  });

  it('remove ssh target infra-core → 4 × to_host missing in ssh.targets.yaml', () => {
    const ssh = edit(snapshotFile(BASE, SSH), /\n    - id: "infra-core"\n(      .*\n)+/, '\n');
    const found = runOverlay(BASE, 'relocation-parity', { [SSH]: ssh });
    expect(found).toHaveLength(4);
    for (const d of found) expect(d.message).toMatch(/^PARITY MISMATCH: \S+ - to_host 'infra-core' missing in ssh\.targets\.yaml$/);
    expect(found.map((d) => d.data.service).sort()).toEqual(['cloudflared', 'infisical', 'pihole', 'vaultwarden']);
  });

  it('delete STACK_REGISTRY.yaml → MISSING: docs/governance/STACK_REGISTRY.yaml', () => {
    const found = runOverlay(BASE, 'relocation-parity', { 'docs/governance/STACK_REGISTRY.yaml': null });
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/^MISSING: docs\/governance\/STACK_REGISTRY\.yaml/)]);
  });

  it('vm_targets[205].vm_id "105" → outside allowed range for site shop (200-299)', () => {
    const plan = edit(snapshotFile(BASE, PLAN), 'vm_id: "205"', 'vm_id: "105"');
    const found = runOverlay(BASE, 'placement-policy', { [PLAN]: plan });
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/^vm_id '105' outside allowed range for site 'shop' \(200-299\)/)]);
    expect(found[0]).toMatchObject({ file: PLAN, line: 35, column: 12 });
  });

  it("service_placement.vaultwarden.dr_sites: [] → rollback site 'home' not allowed", () => {
    const policy = edit(snapshotFile(BASE, POLICY), '  vaultwarden:\n    primary_site: shop\n    dr_sites: ["home"]', '  vaultwarden:\n    primary_site: shop\n    dr_sites: []');
    const found = runOverlay(BASE, 'placement-policy', { [POLICY]: policy });
    expect(found.map((d) => d.message)).toEqual(["service 'vaultwarden' rollback site 'home' not allowed by service_placement.vaultwarden.dr_sites"]);
    expect(found[0]).toMatchObject({ file: POLICY, line: 72, column: 15 });
  });
});

const TREES = join(SNAPSHOTS, '..', 'trees');
describe.skipIf(!existsSync(join(TREES, '03-c73c3ac1')))('Phase 4 before/after (c73c3ac1 → 279e3568)', () => {
  const runTree = (tree: string, checkId: string) => {
    const workspace = new Workspace(new DirectorySource(join(TREES, tree)), { paths: defaultPaths });
    return runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') }).results.filter((r) => r.checkId === checkId || r.checkId === 'check-error');
  };
  it.each(['03-c73c3ac1', '04-279e3568'])('%s: D35 and D37 pass (Appendix A)', (tree) => {
    expect(runTree(tree, 'relocation-parity')).toEqual([]);
    expect(runTree(tree, 'placement-policy')).toEqual([]);
  });
});

describe.skipIf(!existsSync(join(TREES, '03-c73c3ac1')))('Phase 4: the runbook step 7 situation', () => {
  const runWith = (tree: string, checkId: string, overrides: Record<string, string | null> = {}) => {
    const workspace = new Workspace(new OverlaySource(join(TREES, tree), overrides), { paths: defaultPaths });
    return runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') }).results.filter((r) => r.checkId === checkId || r.checkId === 'check-error');
  };
  const PHASE4 = ['prometheus', 'grafana', 'loki', 'uptime-kuma'];
  const aboutObservability = (d: { data: Record<string, unknown> }): boolean => d.data.host === 'observability' || PHASE4.includes(String(d.data.service));

  it('before (c73c3ac1) and after (279e3568): nothing missing for the Phase 4 services and VM 205', () => {
    for (const tree of ['03-c73c3ac1', '04-279e3568']) {
      expect(runWith(tree, 'relocation-ssot-completeness').filter(aboutObservability)).toEqual([]);
      expect(runWith(tree, 'vm-target-readiness-bindings')).toEqual([]);
    }
  });

  it('the after-manifest on the before-SSOTs names every missing observability entry', () => {
    const afterPlan = readFileSync(join(TREES, '04-279e3568', PLAN), 'utf8');
    const found = runWith('03-c73c3ac1', 'relocation-ssot-completeness', { [PLAN]: afterPlan }).filter(aboutObservability);
    const byMessage = (id: string) =>
      found
        .filter((d) => d.messageId === id)
        .map((d) => String(d.data.service ?? d.data.host))
        .sort();
    expect(byMessage('registryMissing')).toEqual([...PHASE4].sort());
    expect(byMessage('composeTargetMissing')).toEqual([...PHASE4].sort());
    // ssh.targets already had an `observability` entry at c73c3ac1 (with `host: null`; see vm-target-readiness-bindings).
    expect(byMessage('sshTargetMissing')).toEqual([]);
    expect(byMessage('identityHostMissing')).toEqual(['observability']);
    expect(byMessage('backupMissing')).toEqual(['observability']);
    // and the readiness bindings of VM 205 (now `ready`) are missing too
    const ready = runWith('03-c73c3ac1', 'vm-target-readiness-bindings', { [PLAN]: afterPlan });
    // c73c3ac1's ssh target `observability` has `host: null # Tailscale IP assigned after provisioning`.
    expect(ready.map((d) => [d.messageId, d.data.target])).toEqual([
      ['backupBinding', 'observability'],
      ['sshTargetNoHost', 'observability'],
    ]);
  });
});

describe.skipIf(!existsSync(join(TREES, '09-877dc938')))('a finished relocation is history (rollback-consistency, relocation-vocabulary)', () => {
  const countOf = (tree: string, checkId: string): number => {
    const workspace = new Workspace(new DirectorySource(join(TREES, tree)), { paths: defaultPaths });
    return runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') }).results.filter((r) => r.checkId === checkId || r.checkId === 'check-error').length;
  };
  // 04-279e3568: state complete (8 migrated services); 09/10: active_relocation null after archiving LOOP-MEDIA-STACK-SPLIT (29 migrated,
  // rollback_to nulled on purpose). Both checks used to give 4 + 8 and 29 + 29 warnings there.
  it.each(['04-279e3568', '09-877dc938', '10-7a4170ed'])('%s: no finding about the services of a completed relocation', (tree) => {
    expect(countOf(tree, 'rollback-consistency')).toBe(0);
    expect(countOf(tree, 'relocation-vocabulary')).toBe(0);
  });
  it('06-3fdc9fef (cleanup, a running relocation): the 29 legacy `migrated` warnings stay', () => {
    expect(countOf('06-3fdc9fef', 'relocation-vocabulary')).toBe(29);
  });
});

describe.skipIf(!existsSync(join(TREES, '08-c623e68b')))('one URL, one expectation on a running relocation (08-c623e68b, cleanup)', () => {
  const workspace = (tree: string) => new Workspace(new DirectorySource(join(TREES, tree)), { paths: defaultPaths });
  it('the live plan probes homarr and jellyseerr once, with services.health 307; the manifest URLs of the others stay', () => {
    const probes = byId('health-endpoints').plan!({ workspace: workspace('08-c623e68b'), now: new Date('2026-03-05T00:00:00Z'), options: {}, report: () => undefined }) as {
      id: string;
      url: string;
      expectStatus: number[];
    }[];
    const on = (port: string) => probes.filter((p) => p.url.endsWith(port) || p.url.includes(`${port}/`)).map((p) => [p.id, p.expectStatus]);
    expect(on(':7575')).toEqual([['endpoint:homarr', [307]]]);
    expect(on(':5055')).toEqual([['endpoint:jellyseerr', [307]]]);
    expect(probes.filter((p) => p.id.startsWith('relocation:')).map((p) => p.id)).toHaveLength(10);
  });
  it('relocation-ssot-completeness: the conflict is a warning for a service promote has yet to gate; none for promoted or archived ones', () => {
    const conflicts = (tree: string, overrides: Record<string, string> = {}) =>
      runChecks({
        workspace: new Workspace(new OverlaySource(join(TREES, tree), overrides), { paths: defaultPaths }),
        checks: [byId('relocation-ssot-completeness')],
        now: new Date('2026-03-05T00:00:00Z'),
      })
        .results.filter((d) => d.messageId === 'healthExpectConflict')
        .map((d) => [d.data.service, d.data.status, d.data.expected, d.severity]);
    // homarr and jellyseerr are `migrated` there (promoted: promote's 200 gate is behind them), and archived at a00cb7b7.
    expect(conflicts('08-c623e68b')).toEqual([]);
    expect(conflicts('19-a00cb7b7')).toEqual([]);
    // homarr still at cutover: promote would want 200 from http://streaming-stack:7575, services.health says 307.
    const plan = readFileSync(join(TREES, '08-c623e68b', PLAN), 'utf8');
    const homarrAtCutover = plan.replace(/(service: "homarr"[\s\S]*?status: )"migrated"/, '$1"cutover"');
    expect(homarrAtCutover).not.toBe(plan);
    expect(conflicts('08-c623e68b', { [PLAN]: homarrAtCutover })).toEqual([['homarr', 'cutover', '307', 'warning']]);
  });
});
