// Synthetic spines for the scale benchmark: services × hosts × endpoints, valid except for a known
// set of planted violations. Built from the example spine (examples/phase4-observability), whose
// records are the templates: every generated host is a copy of the `observability` VM in every
// binding that knows it (ssh.targets, vm.lifecycle, SERVICE_REGISTRY hosts, placement, naming,
// compose targets, backup runtime unit + target, operating profile, capacity contract, topology, DEVICE_IDENTITY rows),
// every generated service a copy of `prometheus` (registry entry, health endpoint, compose stack,
// STACK_REGISTRY stack, placement). The example's one deliberate violation is repaired first.
// Values are written plain, never as YAML anchors/aliases (real spines do not use them, and a file
// with an anchor takes the core's bounded-expansion `yaml` path instead of the fast js-yaml one).
//
//   import { generateSpine } from './generate-spine.mjs'
//   const { root, planted, stats } = generateSpine(dir, { services: 1000 })
//   node bench/generate-spine.mjs <dir> <services>      (prints the planted violations as JSON)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const require = createRequire(join(REPO, 'packages/core/package.json'));
const YAML = require('yaml');

const TEMPLATE_HOST = 'observability';
const TEMPLATE_SERVICE = 'prometheus';
const clone = (x) => structuredClone(x);

/** The leading comment block of a file (status and projection markers are read as raw text by some gates). */
const header = (text) => {
  const lines = text.split('\n');
  const out = [];
  for (const l of lines) {
    if (l.startsWith('#') || l.trim() === '') out.push(l);
    else break;
  }
  return out.join('\n').trimEnd() + '\n\n';
};

/**
 * Planted violations: what is wrong, where, and which checks (ids or gate aliases) should report it
 * about which subject. `expect` lists alternatives: finding it through any one of them counts.
 */
function plantedList(h, s) {
  return [
    {
      id: 'relocation-registry-mismatch',
      what: `service ${s.reloc} is in cutover to ${h.to} but SERVICE_REGISTRY still says ${h.from}`,
      subject: s.reloc,
      related: [s.reloc],
      expect: ['D35', 'relocation-parity', 'D37', 'relocation-ssot-completeness'],
    },
    { id: 'missing-ssh-target', what: `active VM ${h.noSsh} has no ssh.targets entry`, subject: h.noSsh, expect: ['D69', 'D258', 'D259', 'D59', 'vm-creation-governance'] },
    { id: 'duplicate-endpoint-id', what: `services.health endpoint id ${s.dup} appears twice`, subject: s.dup, expect: ['D280'] },
    { id: 'endpoint-unknown-host', what: `endpoint ${s.orphan} points at host ${h.ghost}, which no binding knows`, subject: s.orphan, expect: ['D280'] },
    { id: 'vm-without-health-probe', what: `active VM ${h.noHealth} has no services.health endpoint`, subject: h.noHealth, expect: ['D69', 'vm-creation-governance'] },
  ];
}

export function generateSpine(dir, { services = 100, perHost = 10 } = {}) {
  const read = (rel) => readFileSync(join(EXAMPLE, rel), 'utf8');
  const files = {};
  const texts = {};
  const walk = (rel) => {
    for (const e of readdirSync(join(EXAMPLE, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files[p] = YAML.parse(read(p));
      else if (p.endsWith('.md') && !p.endsWith('README.md')) texts[p] = read(p);
    }
  };
  walk('');
  const F = (name) => files[name];
  const reg = F('docs/governance/SERVICE_REGISTRY.yaml');
  const ssh = F('ops/bindings/ssh.targets.yaml');
  const vml = F('ops/bindings/vm.lifecycle.yaml');
  const health = F('ops/bindings/services.health.yaml');
  const compose = F('ops/bindings/docker.compose.targets.yaml');
  const backup = F('ops/bindings/backup.inventory.yaml');
  const placement = F('ops/bindings/infra.placement.policy.yaml');
  const naming = F('ops/bindings/naming.policy.yaml');
  const stacks = F('docs/governance/STACK_REGISTRY.yaml');
  const capacity = F('ops/bindings/infra.capacity.guard.policy.yaml');
  const topology = F('ops/bindings/topology.sites.yaml');
  const reloc = F('ops/bindings/infra.relocation.plan.yaml');
  const profiles = F('ops/bindings/vm.operating.profile.yaml');

  // Repair the example's deliberate violation (grafana's registry host) so the base is valid.
  reg.services.grafana.host = TEMPLATE_HOST;

  const hostCount = Math.max(6, Math.ceil(services / perHost));
  const vmidOf = (i) => 1000 + i;
  const lanOf = (i) => `127.10.${i >> 8}.${i & 255}`;
  const tsOf = (i) => `100.65.${i >> 8}.${i & 255}`;
  const hostId = (i) => `node-${String(i).padStart(5, '0')}`;
  const svcId = (i, j) => `app-${String(i).padStart(5, '0')}-${String(j).padStart(3, '0')}`;

  const T = {
    ssh: ssh.ssh.targets.find((t) => t.id === TEMPLATE_HOST),
    vm: vml.vms.find((v) => v.hostname === TEMPLATE_HOST),
    regHost: reg.hosts[TEMPLATE_HOST],
    regSvc: reg.services[TEMPLATE_SERVICE],
    endpoint: health.endpoints.find((e) => e.id === TEMPLATE_SERVICE),
    compose: compose.targets[TEMPLATE_HOST],
    unit: backup.runtime_units.find((u) => u.hostname === TEMPLATE_HOST),
    target: backup.targets.find((t) => t.glob?.includes('-205-')),
    placeHost: placement.hosts[TEMPLATE_HOST],
    placeReq: placement.vm_target_requirements[TEMPLATE_HOST],
    placeSvc: placement.service_placement[TEMPLATE_SERVICE],
    naming: naming.hosts.find((h) => h.canonical_name === TEMPLATE_HOST),
    stack: stacks.stacks.find((s) => s.stack_id === TEMPLATE_SERVICE),
    capacity: capacity.onboarding_capacity_contract.by_hostname[TEMPLATE_HOST],
    profile: profiles.profiles.find((p) => p.hostname === TEMPLATE_HOST),
  };

  // The subjects of the planted violations, spread through the files (not all at the start or end).
  // Six distinct hosts, whatever the size.
  const used = new Set();
  const at = (f) => {
    let i = Math.min(hostCount, Math.max(1, Math.round(hostCount * f)));
    while (used.has(i)) i = (i % hostCount) + 1;
    used.add(i);
    return i;
  };
  const idx = { from: at(0.3), to: at(0.6), noSsh: at(0.45), noHealth: at(0.75), dup: at(0.5), orphan: at(0.9) };
  const h = { from: hostId(idx.from), to: hostId(idx.to), noSsh: hostId(idx.noSsh), noHealth: hostId(idx.noHealth), ghost: 'ghost-host' };
  const s = { reloc: svcId(idx.from, 1), dup: svcId(idx.dup, 2), orphan: svcId(idx.orphan, 3) };

  let generatedServices = 0;
  const mdRows = { ts: [], lan: [], tier: [] };
  for (let i = 1; i <= hostCount; i++) {
    const id = hostId(i);
    const vmid = vmidOf(i);
    const n = Math.min(perHost, services - generatedServices) || 0;
    const svcs = Array.from({ length: n }, (_, j) => svcId(i, j + 1));
    generatedServices += n;
    if (id !== h.noSsh) ssh.ssh.targets.push({ ...clone(T.ssh), id, host: lanOf(i), tailscale_ip: tsOf(i), description: `Synthetic VM ${vmid}` });
    vml.vms.push({
      ...clone(T.vm),
      id: vmid,
      hostname: id,
      lan_ip: lanOf(i),
      tailscale_ip: tsOf(i),
      ssh_target: id,
      stacks: [...svcs],
      services: [...svcs],
      backup_target: `vm-${vmid}-${id}-primary`,
      description: `Synthetic VM ${vmid}`,
    });
    reg.hosts[id] = { ...clone(T.regHost), tailscale_ip: tsOf(i), ssh: id, vmid };
    compose.targets[id] = { ...clone(T.compose), ssh_target: id, description: `Synthetic VM ${vmid}`, stacks: svcs.map((name) => ({ name, path: `/opt/stacks/${name}` })) };
    backup.runtime_units.push({ ...clone(T.unit), unit_id: `vm-${vmid}-${id}`, hostname: id, inventory_targets: [`vm-${vmid}-${id}-primary`] });
    backup.targets.push({ ...clone(T.target), name: `vm-${vmid}-${id}-primary`, glob: `vzdump-qemu-${vmid}-*.vma.zst` });
    profiles.profiles.push({ ...clone(T.profile), id: vmid, ...(T.profile.hostname !== undefined ? { hostname: id } : {}) });
    placement.hosts[id] = clone(T.placeHost);
    placement.vm_target_requirements[id] = clone(T.placeReq);
    naming.hosts.push({ ...clone(T.naming), canonical_name: id, description: `VM ${vmid}. Synthetic.` });
    capacity.onboarding_capacity_contract.by_hostname[id] = clone(T.capacity);
    topology.sites[0].compose_targets.push(id);
    mdRows.ts.push(`| ${id} | ${tsOf(i)} | Shop | Synthetic VM ${vmid} |`);
    mdRows.lan.push(`| ${id} | \`${id}\` | ${lanOf(i)} | ${vmid} | — | Synthetic VM |`);
    mdRows.tier.push(`| ${id} VM | \`${id}\` | ${tsOf(i)} | Synthetic (VM ${vmid}) | Shop | \`ssh ${id} docker ps\` |`);
    svcs.forEach((name, j) => {
      const port = 10000 + j;
      const onHost = name === s.reloc ? h.from : id;
      reg.services[name] = { ...clone(T.regSvc), host: onHost, port, health: '/healthz', compose: `/opt/stacks/${name}/docker-compose.yml`, container: name, notes: `Synthetic service ${name}` };
      if (id !== h.noHealth) {
        health.endpoints.push({ ...clone(T.endpoint), id: name, host: name === s.orphan ? h.ghost : id, url: `http://${lanOf(i)}:${port}/healthz`, expect: 200, description: `Synthetic ${name}` });
        if (name === s.dup) {
          health.endpoints.push({ ...clone(T.endpoint), id: name, host: id, url: `http://${lanOf(i)}:${port}/healthz/again`, expect: 200, description: `Synthetic ${name} (duplicate id)` });
        }
      }
      stacks.stacks.push({ ...clone(T.stack), stack_id: name, name, path: `proxmox:vm-${vmid}` });
      placement.service_placement[name] = clone(T.placeSvc);
    });
  }
  // The relocation in cutover moves one service per tenth of the hosts; the registry follows to_host
  // for all of them but the planted one.
  const moved = [];
  for (let i = 1; i <= hostCount; i += Math.max(1, Math.floor(hostCount / 10))) moved.push(i);
  if (!moved.includes(idx.from)) moved.push(idx.from);
  for (const i of moved) {
    const name = svcId(i, 1);
    if (hostId(i) === h.noSsh || hostId(i) === h.noHealth) continue;
    if (!reg.services[name]) continue;
    const to = name === s.reloc ? h.to : hostId(i);
    reloc.services.push({
      service: name,
      from_host: 'docker-host',
      to_host: to,
      phase: 6,
      health_url: `http://${lanOf(i)}:10000/healthz`,
      rollback_to: 'docker-host',
      backup_target: null,
      status: 'cutover',
    });
  }
  const maxVmid = vmidOf(hostCount);
  placement.sites.shop.vmid_max = Math.max(299, maxVmid);
  topology.sites[0].vmid_range = `200-${Math.max(299, maxVmid)}`;
  topology.sites[0].lan_cidr = '127.0.0.0/8';

  // DEVICE_IDENTITY: generated rows go right after the template host's row in each table.
  let md = texts['docs/governance/DEVICE_IDENTITY_SSOT.md'];
  const insertAfter = (pattern, rows) => {
    const lines = md.split('\n');
    const i = lines.findIndex((l) => pattern.test(l));
    if (i >= 0) lines.splice(i + 1, 0, ...rows);
    md = lines.join('\n');
  };
  insertAfter(/^\| observability \| 100\./, mdRows.ts);
  insertAfter(/^\| observability \| `observability` \|/, mdRows.lan);
  insertAfter(/^\| observability VM \|/, mdRows.tier);
  md = md.replace(/\| 200-299 \|/, `| 200-${Math.max(299, maxVmid)} |`);
  texts['docs/governance/DEVICE_IDENTITY_SSOT.md'] = md;

  for (const [rel, value] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), header(read(rel)) + YAML.stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }));
  }
  for (const [rel, text] of Object.entries(texts)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  let bytes = 0;
  for (const rel of [...Object.keys(files), ...Object.keys(texts)]) bytes += readFileSync(join(dir, rel)).length;
  return {
    root: dir,
    planted: plantedList(h, s),
    stats: { services: Object.keys(reg.services).length, generatedServices, hosts: Object.keys(reg.hosts).length, endpoints: health.endpoints.length, bytes },
  };
}

/**
 * Which planted violations a report found: a finding of one of the expected checks (id or alias)
 * whose data or message names the subject. Checks not in the catalog yet are reported as such.
 */
export function matchPlanted(planted, results, catalog) {
  const known = (name) => catalog.some((c) => c.id === name || (c.aliases ?? []).includes(name));
  const names = (r) => [r.checkId, ...(r.aliases ?? [])];
  const mentions = (r, subject) => Object.values(r.data ?? {}).some((v) => String(v) === subject) || new RegExp(`(^|[^\\w-])${subject.replace(/[-.]/g, '\\$&')}([^\\w-]|$)`).test(r.message ?? '');
  return planted.map((p) => {
    const available = p.expect.filter(known);
    const hits = results.filter((r) => names(r).some((n) => p.expect.includes(n)) && mentions(r, p.subject));
    return {
      ...p,
      available,
      findings: hits.length,
      found: hits.length > 0,
      foundBy: [...new Set(hits.map((r) => r.checkId))],
      status: available.length === 0 ? 'no check yet' : hits.length > 0 ? 'found' : 'MISSED',
    };
  });
}

/** Findings that name none of the planted subjects (a generator that is not valid, or a false positive). */
export function unexplained(planted, results) {
  const subjects = planted.flatMap((p) => p.related ?? [p.subject]);
  return results.filter((r) => !subjects.some((s) => Object.values(r.data ?? {}).some((v) => String(v).includes(s)) || (r.message ?? '').includes(s)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) {
    console.error('Usage: node bench/generate-spine.mjs <dir> [services=100]');
    process.exit(2);
  }
  const out = generateSpine(resolve(dir), { services: Number(n ?? 100) });
  console.log(JSON.stringify({ stats: out.stats, planted: out.planted }, null, 2));
}
