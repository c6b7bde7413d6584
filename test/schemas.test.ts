/**
 * The binding schemas (schemas/*.schema.json) against the real history in ../shared/corpus:
 * every snapshot and every tree must validate (a schema that rejects real, valid history is wrong),
 * and a wrong-type edit of each binding must be rejected at the exact line and column.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledValidator, MemorySource, runChecks, DirectorySource, Workspace, type Diagnostic, type Finding } from '@spine-lint/core';
import { catalog, defaultPaths, schemaBindings, schemaBindingsFor, schemaFor, schemaProducer, type SchemaBinding } from '@spine-lint/checks';
import { main } from '../packages/cli/src/main.js';
import type { CliIo } from '../packages/cli/src/io.js';
import { CORPUS } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const NEWEST_TREE = `${CORPUS}/trees/19-a00cb7b7`;

const corpusDirs = (): string[] => [
  ...readdirSync(`${CORPUS}/snapshots`)
    .filter((d) => /^\d{3}-/.test(d))
    .map((d) => `snapshots/${d}`),
  ...readdirSync(`${CORPUS}/trees`)
    .filter((d) => /^\d{2}-/.test(d))
    .map((d) => `trees/${d}`),
];

/**
 * Real data errors in the corpus: the only schema findings on real history. Each is a value that
 * is genuinely not of the binding's type, and was corrected by the repository itself later.
 */
const ALLOWLIST: readonly { dir: string; file: string; pointer: string; reason: string }[] = [
  // LOOP-FINANCE-VM-SEPARATION (2026-02-11): before VM 211 joined the tailnet, its address was
  // written as the placeholder string 'PENDING_TAILSCALE_IP' in both files, where every other
  // not-yet-known address in history is `null`. Probing it would connect to a host named
  // PENDING_TAILSCALE_IP. Snapshot 078 replaced both with 100.76.153.100.
  ...['snapshots/076-122cb4cf', 'snapshots/077-c40bf907'].flatMap((dir) => [
    { dir, file: 'docs/governance/SERVICE_REGISTRY.yaml', pointer: '/hosts/finance-stack/tailscale_ip', reason: 'placeholder string instead of an IPv4 address or null' },
    { dir, file: 'ops/bindings/ssh.targets.yaml', pointer: '/ssh/targets/14/host', reason: 'placeholder string instead of an address or null' },
  ]),
];

describe('schema files', () => {
  it.each(schemaBindings.map((b) => [b]))('%s: 2020-12, $id, title, a description on every property, compiles in strict mode', (binding) => {
    const path = `${REPO}/packages/checks/schemas/${binding}.schema.json`;
    expect(existsSync(path)).toBe(true);
    const schema = schemaFor(binding) as Record<string, unknown>;
    expect(schema).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(new RegExp(`/schemas/${binding.replace(/\./g, '\\.')}\\.schema\\.json$`));
    expect(schema.title).toBe(binding);
    expect(typeof schema.description).toBe('string');
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      for (const [key, sub] of Object.entries((o.properties as Record<string, unknown> | undefined) ?? {})) {
        if (typeof (sub as { description?: unknown }).description !== 'string') undocumented.push(`${at}/${key}`);
      }
      if (typeof o.additionalProperties === 'object' && typeof (o.additionalProperties as { description?: unknown }).description !== 'string') undocumented.push(`${at}/*`);
      if (typeof o.pattern === 'string' && typeof o.title !== 'string') undocumented.push(`${at} (pattern without a title)`);
      for (const [key, sub] of Object.entries(o)) if (typeof sub === 'object') walk(sub, `${at}/${key}`);
    };
    walk(schema, '');
    expect(undocumented).toEqual([]);
    expect(() => compiledValidator(schema)).not.toThrow();
  });

  it('every binding with a schema has a layout path, and every schema file is mapped', () => {
    for (const b of schemaBindings) expect(defaultPaths[b]).toBeDefined();
    const files = readdirSync(`${REPO}/packages/checks/schemas`).filter((f) => f.endsWith('.schema.json'));
    expect(files.map((f) => f.replace(/\.schema\.json$/, '')).sort()).toEqual([...schemaBindings].sort());
  });
});

describe('real history validates', () => {
  it('zero schema findings on every snapshot and tree, except the allowlisted real data errors', () => {
    const found: { dir: string; file: string; pointer: string; message: string }[] = [];
    let validated = 0;
    const perBinding = new Map<string, number>();
    // Consecutive snapshots share most files: validate each distinct content once, and attribute
    // its findings to every directory holding it.
    const byContent = new Map<string, Finding[]>();
    for (const dir of corpusDirs()) {
      const present = schemaBindings.filter((b) => existsSync(`${CORPUS}/${dir}/${defaultPaths[b]}`));
      const keys = new Map(
        present.map((b) => [
          b,
          `${b} ${createHash('sha1')
            .update(readFileSync(`${CORPUS}/${dir}/${defaultPaths[b]}`))
            .digest('hex')}`,
        ]),
      );
      const fresh = present.filter((b) => !byContent.has(keys.get(b)!));
      if (fresh.length > 0) {
        const workspace = new Workspace(new DirectorySource(`${CORPUS}/${dir}`), { paths: { ...defaultPaths } });
        const findings = schemaProducer({ bindings: fresh })(workspace);
        for (const b of fresh) {
          const doc = workspace.yaml(b)!;
          // Zero findings must not come from files that were skipped because they did not parse.
          // The one real duplicate key the bindings with schemas hold: coordinator.lane.closeout, listed
          // twice in both capability files of the newest tree (the value is still read: last wins).
          const known = (p: { code: string }): boolean => p.code === 'duplicate-key' && (b === 'capabilities' || b === 'capability_map') && dir.endsWith('19-a00cb7b7');
          expect(
            doc.problems.filter((p) => p.severity === 'error' && !known(p)),
            `${dir} ${b}`,
          ).toEqual([]);
          expect(doc.value, `${dir} ${b}`).toBeDefined();
          byContent.set(
            keys.get(b)!,
            findings.filter((f) => f.file === defaultPaths[b]),
          );
        }
      }
      for (const b of present) {
        validated++;
        perBinding.set(b, (perBinding.get(b) ?? 0) + 1);
        for (const f of byContent.get(keys.get(b)!)!) found.push({ dir, file: f.file!, pointer: f.pointer!, message: f.message });
      }
    }
    // Distinct file contents actually validated (265 in the corpus), not just counted.
    expect(byContent.size).toBeGreaterThanOrEqual(265);
    // The corpus holds 158 snapshots + 19 trees; most have every binding.
    expect(validated).toBeGreaterThan(1100);
    // These are in the trees only (the snapshots hold the relocation gates' files), from the tree that introduced them.
    const inTreesOnly: Partial<Record<string, number>> = {
      'infra.vm.profiles': 18,
      'vm.lifecycle': 10,
      'vm.lifecycle.contract': 9,
      'vm.operating.profile': 10,
      'startup.sequencing': 12,
      'media.services': 10,
      'home.device.registry': 10,
      capabilities: 19,
      capability_map: 10,
      'gate.registry': 10,
      'gate.execution.topology': 9,
      'gate.domain.profiles': 10,
      'gate.agent.profiles': 9,
    };
    for (const b of schemaBindings) expect(perBinding.get(b) ?? 0, b).toBeGreaterThanOrEqual(inTreesOnly[b] ?? 160);
    const key = (x: { dir: string; file: string; pointer: string }): string => `${x.dir} ${x.file} ${x.pointer}`;
    expect(found.map((f) => `${key(f)} ${f.message}`).sort()).toEqual(
      ALLOWLIST.map((a) => {
        const f = found.find((x) => key(x) === key(a));
        return `${key(a)} ${f?.message ?? '(no finding)'}`;
      }).sort(),
    );
    expect(found.find((f) => f.file.endsWith('SERVICE_REGISTRY.yaml'))?.message).toBe("SERVICE_REGISTRY.hosts.finance-stack.tailscale_ip must be an IPv4 address (got 'PENDING_TAILSCALE_IP')");
  }, 120_000);
});

/** A mutation of a real binding (the newest tree) and the one finding it must produce. */
interface Mutation {
  binding: SchemaBinding;
  /** Matches the text to replace; group 1 is kept, group 2 is replaced by `value`. */
  find: RegExp;
  value: string;
  pointer: RegExp;
  message: RegExp;
}

const MUTATIONS: Mutation[] = [
  {
    binding: 'ssh.targets',
    find: /^(\s+host: )("192\.168\.1\.205")/m,
    value: '205',
    pointer: /^\/ssh\/targets\/\d+\/host$/,
    message: /^ssh\.targets\.ssh\.targets\[\d+\]\.host must be string or null \(got integer 205\)$/,
  },
  { binding: 'ssh.targets', find: /^(\s+optional: )(true)/m, value: '"yes"', pointer: /^\/ssh\/targets\/\d+\/optional$/, message: /\.optional must be boolean \(got string 'yes'\)$/ },
  {
    binding: 'services.health',
    find: /^(\s+expect: )(200)$/m,
    value: '"OK"',
    pointer: /^\/endpoints\/\d+\/expect$/,
    message: /^services\.health\.endpoints\[\d+\]\.expect must be an HTTP status code or a comma-separated list of them \(got 'OK'\)$/,
  },
  { binding: 'services.health', find: /^(\s+enabled: )(false)/m, value: '"false"', pointer: /^\/endpoints\/\d+\/enabled$/, message: /\.enabled must be boolean \(got string 'false'\)$/ },
  {
    binding: 'infra.relocation.plan',
    find: /^(\s+- vm_id: )("205")/m,
    value: '205',
    pointer: /^\/vm_targets\/\d+\/vm_id$/,
    message: /^infra\.relocation\.plan\.vm_targets\[\d+\]\.vm_id must be string \(got integer 205\)$/,
  },
  { binding: 'infra.relocation.plan', find: /^(\s+phase: )(3)/m, value: '"3"', pointer: /^\/services\/\d+\/phase$/, message: /\.phase must be integer \(got string '3'\)$/ },
  {
    binding: 'infra.placement.policy',
    find: /^(\s+kind: )(proxmox)/m,
    value: 'hypervisor',
    pointer: /^\/hosts\/pve\/kind$/,
    message: /^unknown value 'hypervisor' for infra\.placement\.policy\.hosts\.pve\.kind \(allowed: "proxmox", "vm", "workstation", "storage", "lxc"\)$/,
  },
  {
    binding: 'docker.compose.targets',
    find: /^(\s+ssh_target: )(observability)/m,
    value: '[observability]',
    pointer: /^\/targets\/observability\/ssh_target$/,
    message: /^docker\.compose\.targets\.targets\.observability\.ssh_target must be string \(got array\)$/,
  },
  {
    binding: 'backup.inventory',
    find: /^(\s+enabled: )(true)/m,
    value: '"true"',
    pointer: /^\/targets\/\d+\/enabled$/,
    message: /^backup\.inventory\.targets\[\d+\]\.enabled must be boolean \(got string 'true'\)$/,
  },
  {
    binding: 'SERVICE_REGISTRY',
    find: /^(\s+port: )(9090)/m,
    value: '"9090"',
    pointer: /^\/services\/prometheus\/port$/,
    message: /^SERVICE_REGISTRY\.services\.prometheus\.port must be integer or null \(got string '9090'\)$/,
  },
  { binding: 'SERVICE_REGISTRY', find: /^(\s+vmid: )(205)/m, value: '"205"', pointer: /^\/hosts\/observability\/vmid$/, message: /\.vmid must be integer \(got string '205'\)$/ },
  {
    binding: 'infra.vm.profiles',
    find: /^(\s+template_vmid: )("9000")/m,
    value: '9000',
    pointer: /^\/profiles\/[^/]+\/provisioning\/template_vmid$/,
    message: /\.template_vmid must be string or null \(got integer 9000\)$/,
  },
];

function realText(binding: SchemaBinding): string {
  return readFileSync(`${NEWEST_TREE}/${defaultPaths[binding]}`, 'utf8');
}

function validate(binding: SchemaBinding, text: string): Diagnostic[] {
  const workspace = new Workspace(new MemorySource({ [defaultPaths[binding]]: text }), { paths: { ...defaultPaths } });
  return runChecks({ workspace, checks: [], producers: [schemaProducer({ bindings: [binding] })] }).results;
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

describe('wrong types in real bindings are rejected at the exact position', () => {
  it.each(MUTATIONS.map((m) => [`${m.binding}: ${m.find.source} -> ${m.value}`, m] as const))('%s', (_name, m) => {
    const original = realText(m.binding);
    expect(validate(m.binding, original)).toEqual([]);
    const match = m.find.exec(original);
    expect(match, `the newest tree's ${m.binding} contains ${m.find.source}`).not.toBeNull();
    const valueOffset = match!.index + match![1]!.length;
    const mutated = original.slice(0, valueOffset) + m.value + original.slice(valueOffset + match![2]!.length);
    const results = validate(m.binding, mutated);
    expect(results.map((d) => d.message)).toHaveLength(1);
    const d = results[0]!;
    expect(d).toMatchObject({ checkId: 'schema', messageId: 'violation', severity: 'error', file: defaultPaths[m.binding] });
    expect(d.pointer).toMatch(m.pointer);
    expect(d.message).toMatch(m.message);
    const start = position(mutated, valueOffset);
    const end = position(mutated, valueOffset + m.value.length);
    expect({ line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn }).toEqual({ line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
  });

  it('a misspelt key of a relocation service: missing required key at the item, unknown key at the key', () => {
    const original = realText('infra.relocation.plan');
    const at = original.search(/^\s+to_host: /m);
    const keyOffset = original.indexOf('to_host', at);
    const mutated = original.slice(0, keyOffset) + 'to_hots' + original.slice(keyOffset + 'to_host'.length);
    const results = validate('infra.relocation.plan', mutated);
    const itemStart = mutated.lastIndexOf('- service:', keyOffset) + 2;
    const item = position(mutated, itemStart);
    const key = position(mutated, keyOffset);
    expect(results.map((d) => [d.line, d.column, d.message])).toEqual([
      [item.line, item.column, "infra.relocation.plan.services[0]: missing required key 'to_host'"],
      [key.line, key.column, expect.stringMatching(/^infra\.relocation\.plan\.services\[0\]: unknown key 'to_hots' \(known keys: service, from_host, to_host, phase/)],
    ]);
    expect(results[1]).toMatchObject({ pointer: '/services/0/to_hots', endLine: key.line, endColumn: key.column + 7 });
  });

  it('a gate profiles file without its domains or profiles is one finding (gate-domain-assignment then has nothing to pass silently)', () => {
    expect(validate('gate.domain.profiles', 'version: 1\n').map((d) => d.message)).toEqual(["gate.domain.profiles: missing required key 'domains'"]);
    expect(validate('gate.agent.profiles', 'version: 1\n').map((d) => d.message)).toEqual(["gate.agent.profiles: missing required key 'profiles'"]);
  });

  it('a placeholder string where an address belongs (the real 076 data error) is rejected', () => {
    const text = realText('SERVICE_REGISTRY').replace(/^(\s+tailscale_ip: )100\.120\.163\.70/m, '$1PENDING');
    expect(validate('SERVICE_REGISTRY', text).map((d) => d.message)).toEqual(["SERVICE_REGISTRY.hosts.observability.tailscale_ip must be an IPv4 address (got 'PENDING')"]);
  });

  it('an unquoted date is a string under YAML 1.2 (core schema) and validates; a number there does not', () => {
    const text = realText('infra.relocation.plan').replace(/^updated_at: "2026-02-11"/m, 'updated_at: 2026-02-11');
    expect(text).toMatch(/^updated_at: 2026-02-11$/m);
    const workspace = new Workspace(new MemorySource({ [defaultPaths['infra.relocation.plan']]: text }), { paths: { ...defaultPaths } });
    expect((workspace.yaml('infra.relocation.plan')!.value as { updated_at: unknown }).updated_at).toBe('2026-02-11');
    expect(validate('infra.relocation.plan', text)).toEqual([]);
    const numeric = text.replace(/^updated_at: 2026-02-11$/m, 'updated_at: 20260211');
    expect(validate('infra.relocation.plan', numeric).map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      `${numeric.split('\n').findIndex((l) => l.startsWith('updated_at:')) + 1}:13 infra.relocation.plan.updated_at must be string (got integer 20260211)`,
    ]);
  });

  it('null is accepted where history used it for not-yet-known values', () => {
    const text = realText('services.health').replace(/^(\s+url: )"[^"]+"/m, '$1null');
    expect(validate('services.health', text)).toEqual([]);
    const plan = realText('infra.relocation.plan').replace(
      /^active_relocation: null/m,
      'active_relocation:\n  change_id: LOOP-X-20260301\n  state: cutover\n  owner: "@ronny"\n  approved_by: null\n  updated_at: "2026-03-01T10:00:00Z"',
    );
    expect(validate('infra.relocation.plan', plan)).toEqual([]);
  });
});

describe('spine-lint check', () => {
  const cli = async (argv: string[]): Promise<{ code: number; stdout: string }> => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, stdoutIsTTY: false, stderrIsTTY: false, cwd: REPO, env: {} };
    const code = await main(argv, io);
    return { code, stdout };
  };
  const schemaResults = (stdout: string): { file: string; line: number; column: number }[] =>
    (JSON.parse(stdout) as { results: { checkId: string; file: string; line: number; column: number }[] }).results.filter((r) => r.checkId === 'schema');

  it('reports schema findings of the real data error, with --only schema too', async () => {
    const root = `${CORPUS}/snapshots/076-122cb4cf`;
    for (const argv of [
      ['check', '--root', root, '--format', 'json'],
      ['check', '--root', root, '--only', 'schema', '--format', 'json'],
    ]) {
      const { code, stdout } = await cli(argv);
      expect(code).toBe(1);
      expect(schemaResults(stdout).map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual(['docs/governance/SERVICE_REGISTRY.yaml:626:19', 'ops/bindings/ssh.targets.yaml:108:13']);
    }
  });

  it('--only validates the bindings the selected checks read', async () => {
    const root = `${CORPUS}/snapshots/076-122cb4cf`;
    const parity = catalog.find((c) => c.id === 'relocation-parity');
    expect(parity?.reads).toEqual(expect.arrayContaining(['SERVICE_REGISTRY', 'ssh.targets']));
    const { stdout } = await cli(['check', '--root', root, '--only', 'relocation-parity', '--format', 'json']);
    expect(schemaResults(stdout)).toHaveLength(2);
    const workspace = new Workspace(new MemorySource({}), { paths: { ...defaultPaths } });
    expect(schemaBindingsFor(['relocation-parity'], catalog, workspace)).toEqual(['ssh.targets', 'infra.relocation.plan', 'SERVICE_REGISTRY']);
    expect(schemaBindingsFor([], catalog, workspace)).toEqual(schemaBindings);
    expect(schemaBindingsFor(['schema'], catalog, workspace)).toEqual(schemaBindings);
    expect(schemaBindingsFor(['parse'], catalog, workspace)).toEqual([]);
  });

  it('the built CLI finds the schemas from dist/', () => {
    const bin = `${REPO}/packages/cli/dist/bin.cjs`;
    expect(existsSync(bin), 'build first: npx tsc -b packages/cli').toBe(true);
    let stdout = '';
    try {
      execFileSync(process.execPath, [bin, 'check', '--root', `${CORPUS}/snapshots/077-c40bf907`, '--only', 'schema', '--format', 'json'], { encoding: 'utf8' });
    } catch (error) {
      stdout = (error as { stdout: string }).stdout;
    }
    expect(schemaResults(stdout)).toHaveLength(2);
  });
});
