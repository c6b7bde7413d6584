import { appendTableRowFix, defineCheck, moveListItemFix, redactUrl, replaceCellFix, replaceValueFix, trimEndChar, type Fix, type Workspace } from '@spine-lint/core';
import { oneManifestEntry, registryHostFix } from '../shared/relocation.js';
import { backupInventory } from '../bindings/backupInventory.js';
import { composeTargets } from '../bindings/composeTargets.js';
import { deviceIdentity } from '../bindings/deviceIdentity.js';
import { hostGraph } from '../bindings/hostGraph.js';
import { relocationPlan, type RelocationService } from '../bindings/relocationPlan.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { isYqEmpty } from '../bindings/util.js';
import { AWAITING_PROMOTION, relocationInProgress } from '../relocationPhase.js';
import { coveredVmIds } from '../shared/coverage.js';
import { isAddressText, isTailscaleIp, sshTailscaleIp } from '../shared/tailscale.js';
import { EndpointUrlIndex } from '../urls.js';

/** The first item whose key resolves (through the host graph) to each canonical host id: `find(same(key, host))` as a lookup. */
function firstByHost<T>(items: Iterable<T>, key: (item: T) => string | undefined, resolve: (spelling: string) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const id = resolve(k);
    if (!out.has(id)) out.set(id, item);
  }
  return out;
}

// Trailing slashes by a loop: `/\/+$/` is quadratic on a long run of slashes inside the path.
const normPath = (p: string): string => trimEndChar(p.replace(/^~\//, ''), '/');
const dirOf = (p: string): string => normPath(p).replace(/\/[^/]*$/, '');

/**
 * The runbook's step 7 ("check which SSOT is missing the new service entries"): for every service
 * past `planned`, every SSOT that must know it does, on the same host (spec §1.0, §2.1 notes).
 */
export default defineCheck({
  id: 'relocation-ssot-completeness',
  title: 'Relocated services are in every SSOT',
  description:
    'For every relocation service past planned: SERVICE_REGISTRY has it on the expected host; services.health has an endpoint for it when the registry ' +
    'gives a health path or port; docker.compose.targets has its stack on that host; the host is an ssh target, is in the DEVICE_IDENTITY Tailscale Host ' +
    'Table with the same Tailscale IP as ssh.targets and the manifest, and its VM has a vzdump target in backup.inventory. While the relocation runs, a ' +
    "health_url of a service promote has yet to gate (planned, shadow, cutover) that names a services.health endpoint's URL must not have that endpoint " +
    'expect anything but 200 (warning: one URL, two expectations).',
  severity: 'error',
  kind: 'static',
  // the host graph joins host spellings across these bindings (infra.placement.policy included)
  reads: [
    'infra.relocation.plan',
    'SERVICE_REGISTRY',
    'services.health',
    'docker.compose.targets',
    'ssh.targets',
    'DEVICE_IDENTITY',
    'backup.inventory',
    'naming.policy',
    'vm.lifecycle',
    'infra.placement.policy',
  ],
  fixHint: 'Add the entry named in the message to that SSOT (the runbook step 2/7 snippets), with the host the manifest names.',
  messages: {
    registryMissing: "service '{{service}}' ({{status}}) is missing from SERVICE_REGISTRY.yaml (expected on host '{{host}}')",
    registryHostDiffers: "SERVICE_REGISTRY.yaml has service '{{service}}' on host '{{actual}}', the relocation manifest on '{{host}}'",
    healthMissing: "service '{{service}}' has a health {{via}} in SERVICE_REGISTRY.yaml but no services.health.yaml endpoint (id '{{service}}' or host '{{host}}' port {{port}})",
    healthHostDiffers: "services.health.yaml endpoint '{{service}}' is on host '{{actual}}', the relocation manifest on '{{host}}'",
    composeTargetMissing: "docker.compose.targets.yaml has no target '{{host}}' for service '{{service}}'",
    composeStackMissing: "docker.compose.targets.yaml target '{{host}}' has no stack for service '{{service}}'{{elsewhere}}",
    sshTargetMissing: "host '{{host}}' (services: {{services}}) is not in ssh.targets.yaml",
    identityHostMissing: "host '{{host}}' (Tailscale IP {{ip}}) is missing from the DEVICE_IDENTITY_SSOT.md Tailscale Host Table",
    identityIpDiffers: "host '{{host}}' Tailscale IP differs: DEVICE_IDENTITY_SSOT.md says {{identityIp}}, {{otherSource}} says {{otherIp}}",
    manifestIpDiffers: "host '{{host}}' Tailscale IP differs: infra.relocation.plan.yaml says {{manifestIp}}, ssh.targets.yaml says {{sshIp}}",
    backupMissing: "VM {{vmId}} ('{{host}}') has no vzdump target in backup.inventory.yaml (glob 'vzdump-qemu-{{vmId}}-*' or name 'vm-{{vmId}}-…')",
    healthExpectConflict:
      "service '{{service}}' ({{status}}) health_url {{url}} is the URL of services.health.yaml endpoint '{{endpoint}}', which expects HTTP {{expected}}, " +
      "while infra.relocation.promote's health gate wants 200 from it: one URL, two expectations (spine-lint probe uses services.health's {{expected}}; " +
      'promotion would be blocked)',
  },
  run(ctx) {
    const ws = ctx.workspace;
    const plan = relocationPlan(ws);
    if (plan.status !== 'loaded') return;
    const registry = serviceRegistry(ws);
    const health = servicesHealth(ws);
    const compose = composeTargets(ws);
    const ssh = sshTargets(ws);
    const identity = deviceIdentity(ws);
    const backup = backupInventory(ws);
    const graph = hostGraph(ws);
    const M = plan.file;
    const same = (a: string | undefined, b: string): boolean => a !== undefined && graph.resolve(a) === graph.resolve(b);
    // Lookups by canonical host, built once: each `find((x) => same(x.host, host))` below is one of these.
    const resolve = graph.resolve;
    const endpointsByHost = new Map<string, (typeof health.endpoints)[number][]>();
    for (const e of health.endpoints) {
      if (e.host === undefined) continue;
      const id = resolve(e.host);
      (endpointsByHost.get(id) ?? endpointsByHost.set(id, []).get(id)!).push(e);
    }
    const urlPorts = new Map<string | undefined, string | undefined>();
    const urlPort = (url: string | undefined): string | undefined => {
      if (!urlPorts.has(url)) {
        let port: string | undefined;
        try {
          port = new URL(url ?? '').port;
        } catch {
          port = undefined;
        }
        urlPorts.set(url, port);
      }
      return urlPorts.get(url);
    };
    const composeByHost = firstByHost(compose.targets.values(), (t) => t.id, resolve);
    const vmTargetByHost = firstByHost(plan.vmTargets, (t) => t.hostname, resolve);
    const sshByHost = firstByHost(ssh.targets, (t) => t.id, resolve);
    const identityRowByHost = firstByHost(identity.tailscaleHosts?.rows ?? [], (r) => r.values.host, resolve);
    let covered: Set<string> | undefined;

    const byHost = new Map<string, RelocationService[]>();
    for (const s of plan.services) {
      const status = s.status ?? 'planned';
      if (status === 'planned' || s.service === undefined) continue;
      const host = status === 'rolled-back' && !isYqEmpty(s.rollback_to) ? s.rollback_to : s.to_host;
      if (isYqEmpty(host)) continue; // relocation-parity reports an empty to_host
      const service = s.service;
      const data = { service, status, host: host! };
      const at = `${s.pointer}/service`;
      (byHost.get(host!) ?? byHost.set(host!, []).get(host!)!).push(s);

      // 1. SERVICE_REGISTRY
      const reg = registry.services.get(service);
      if (registry.status === 'loaded') {
        if (!reg || reg.host === undefined) ctx.report({ messageId: 'registryMissing', data, file: M, pointer: at });
        else if (!same(reg.host, host!)) {
          ctx.report({
            messageId: 'registryHostDiffers',
            data: { ...data, actual: reg.host },
            file: registry.file,
            pointer: `${reg.pointer}/host`,
            fix: registryHostFix(ctx.workspace, registry.file, `${reg.pointer}/host`, service, host!),
          });
        }
      }
      // 2. services.health, when the registry gives a health path or a port
      if (reg && (reg.health !== undefined || reg.port !== undefined) && health.status === 'loaded') {
        const byId = health.byId.get(service)?.[0];
        const byPort = reg.port === undefined ? undefined : endpointsByHost.get(resolve(host!))?.find((e) => urlPort(e.url) === String(reg.port));
        if (byId && !same(byId.host, host!) && !byPort) {
          ctx.report({
            messageId: 'healthHostDiffers',
            data: { ...data, actual: byId.host ?? 'null' },
            file: health.file,
            pointer: `${byId.pointer}/host`,
            fix: oneManifestEntry(ctx.workspace, service) ? healthEndpointFix(ctx.workspace, health.file, byId, host!, (h) => sshByHost.get(resolve(h))?.host) : undefined,
          });
        } else if (!byId && !byPort) {
          ctx.report({ messageId: 'healthMissing', data: { ...data, via: reg.health !== undefined ? 'path' : 'port', port: reg.port ?? 'none' }, file: M, pointer: at });
        }
      }
      // 3. docker.compose.targets
      if (compose.status === 'loaded') {
        const target = composeByHost.get(resolve(host!));
        const matches = (stack: { name: string | undefined; path: string | undefined }): boolean =>
          stack.name === service || (reg?.compose !== undefined && stack.path !== undefined && dirOf(reg.compose) === normPath(stack.path));
        if (!target) ctx.report({ messageId: 'composeTargetMissing', data, file: M, pointer: at });
        else if (!target.stacks.some(matches)) {
          const other = [...compose.targets.values()].find((t) => t !== target && t.stacks.some(matches));
          const stack = other?.stacks.find(matches);
          // A stack other registry services on that target also run from is shared: moving it would move them too.
          const sharers =
            stack && registry.status === 'loaded'
              ? [...registry.services.values()]
                  .filter((r) => r.id !== service && r.host !== undefined && resolve(r.host) === resolve(other!.id))
                  .filter((r) => r.id === stack.name || (r.compose !== undefined && stack.path !== undefined && dirOf(r.compose) === normPath(stack.path)))
                  .map((r) => r.id)
              : [];
          const elsewhere = !other
            ? ''
            : sharers.length === 0
              ? ` (it is listed under '${other.id}')`
              : ` (its stack under '${other.id}' also runs ${sharers.join(', ')}: split the stack or move them together)`;
          ctx.report({
            messageId: 'composeStackMissing',
            data: { ...data, elsewhere },
            file: compose.file,
            pointer: `${target.pointer}/stacks`,
            // Listed under another target and run by this service alone: the stack entry moves with the service (comments and other stacks stay).
            fix:
              stack && sharers.length === 0 && oneManifestEntry(ctx.workspace, service)
                ? moveListItemFix(ctx.workspace, compose.file, stack.pointer, `${target.pointer}/stacks`, `move the compose stack of '${service}' from '${other!.id}' to '${target.id}'`)
                : undefined,
          });
        }
      }
    }

    // 7. One URL, one expectation: a health_url that is a services.health endpoint's URL (compared as URLs: urls.ts) is
    // probed once, with the endpoint's expect (health-endpoints); promote's health gate wants 200 from it. While the
    // relocation runs, for a service promote has yet to gate, an endpoint expecting something else is a conflict.
    if (health.status === 'loaded' && relocationInProgress(plan)) {
      const wanted = plan.services.filter((s) => !!s.service && !isYqEmpty(s.health_url) && AWAITING_PROMOTION.has(s.status ?? 'planned'));
      const byUrl = wanted.length > 0 ? new EndpointUrlIndex(health.endpoints) : undefined;
      for (const s of wanted) {
        const owner = byUrl!.find(s.health_url)[0];
        const expect = owner?.expect ?? [200];
        if (!owner || expect.includes(200)) continue;
        ctx.report({
          messageId: 'healthExpectConflict',
          severity: 'warning',
          data: {
            service: s.service!,
            status: s.status ?? 'planned',
            host: s.to_host ?? 'null',
            url: redactUrl(String(s.health_url)),
            endpoint: owner.id ?? `endpoints[${owner.index}]`,
            expected: expect.join(','),
          },
          file: M,
          pointer: `${s.pointer}/health_url`,
        });
      }
    }

    // Host-level SSOTs, once per host.
    for (const [host, services] of byHost) {
      const vm = vmTargetByHost.get(resolve(host));
      const first = services[0]!;
      const where = vm ? { file: M, pointer: `${vm.pointer}/hostname` } : { file: M, pointer: `${first.pointer}/${first.status === 'rolled-back' ? 'rollback_to' : 'to_host'}` };
      const names = services.map((s) => s.service!).join(', ');
      // 4. ssh.targets
      const target = sshByHost.get(resolve(host));
      if (ssh.status === 'loaded' && !target) ctx.report({ messageId: 'sshTargetMissing', data: { host, services: names }, ...where });
      // 5. DEVICE_IDENTITY Tailscale Host Table
      const sshIp = sshTailscaleIp(target);
      const manifestIp = vm?.tailscale_ip;
      if (sshIp && manifestIp && sshIp !== manifestIp) {
        // Which side is right is a decision: a suggestion per side, never a fix.
        const suggestions = [
          replaceValueFix(ctx.workspace, M, `${vm!.pointer}/tailscale_ip`, sshIp, `set the manifest's tailscale_ip of '${host}' to ${sshIp} (as ssh.targets.yaml says)`),
          target!.tailscale_ip === undefined
            ? undefined
            : replaceValueFix(ctx.workspace, ssh.file, `${target!.pointer}/tailscale_ip`, manifestIp, `set the tailscale_ip of ssh target '${target!.id}' to ${manifestIp} (as the manifest says)`),
        ].filter((f): f is Fix => f !== undefined);
        ctx.report({ messageId: 'manifestIpDiffers', data: { host, manifestIp, sshIp }, file: M, pointer: `${vm!.pointer}/tailscale_ip`, suggestions });
      }
      const ip = sshIp ?? manifestIp;
      if (identity.status === 'loaded' && ip) {
        const row = identityRowByHost.get(resolve(host));
        if (!row) {
          // The row is inserted from ssh.targets (host id and its Tailscale IP); Location and Role are left for a person.
          const fix =
            identity.tailscaleHosts && sshIp
              ? appendTableRowFix(
                  ctx.workspace,
                  identity.file,
                  identity.tailscaleHosts.pointer,
                  { Host: host, 'Tailscale IP': sshIp },
                  `add '${host}' (${sshIp}) to the DEVICE_IDENTITY Tailscale Host Table`,
                )
              : undefined;
          ctx.report({
            messageId: 'identityHostMissing',
            data: { host, ip, services: names },
            ...(identity.tailscaleHosts ? { file: identity.file, pointer: identity.tailscaleHosts.pointer } : where),
            fix,
          });
        } else {
          const identityIp = row.values.tailscaleIp ?? 'none';
          const other = sshIp !== undefined ? { otherSource: 'ssh.targets.yaml', otherIp: sshIp } : { otherSource: 'infra.relocation.plan.yaml', otherIp: manifestIp! };
          if (identityIp !== other.otherIp) {
            // A suggestion per side (the table's cell, or the other source when the table holds an address).
            const cell = row.cells.tailscaleIp;
            const otherSide = !isTailscaleIp(identityIp)
              ? undefined
              : sshIp !== undefined
                ? target!.tailscale_ip === undefined
                  ? undefined
                  : replaceValueFix(
                      ctx.workspace,
                      ssh.file,
                      `${target!.pointer}/tailscale_ip`,
                      identityIp,
                      `set the tailscale_ip of ssh target '${target!.id}' to ${identityIp} (as DEVICE_IDENTITY_SSOT.md says)`,
                    )
                : replaceValueFix(ctx.workspace, M, `${vm!.pointer}/tailscale_ip`, identityIp, `set the manifest's tailscale_ip of '${host}' to ${identityIp} (as DEVICE_IDENTITY_SSOT.md says)`);
            const toOther =
              cell && replaceCellFix(ctx.workspace, identity.file, cell, other.otherIp, `set the DEVICE_IDENTITY_SSOT.md Tailscale IP of '${host}' to ${other.otherIp} (as ${other.otherSource} says)`);
            // A placeholder in the table ('TBD (VM 209)') is no address to weigh against one: the address fills it.
            const placeholder = !isAddressText(identityIp);
            ctx.report({
              messageId: 'identityIpDiffers',
              data: { host, identityIp, ...other, services: names },
              file: identity.file,
              pointer: cell?.pointer ?? row.pointer,
              ...(placeholder ? { fix: toOther } : { suggestions: [toOther, otherSide].filter((f): f is Fix => f !== undefined) }),
            });
          }
        }
      }
      // 6. backup.inventory vzdump target for the VM
      const vmId = vm?.vm_id ?? (registry.hosts.get(host)?.vmid !== undefined ? String(registry.hosts.get(host)!.vmid) : undefined);
      if (backup.status === 'loaded' && vmId && /^\d+$/.test(vmId) && !(covered ??= coveredVmIds(backup.targets)).has(vmId)) {
        ctx.report({ messageId: 'backupMissing', data: { host, vmId, services: names }, ...(vm ? { file: M, pointer: `${vm.pointer}/vm_id` } : where) });
      }
    }
  },
});

/**
 * The health endpoint follows the manifest: its `host`, and its URL's address when that is the old
 * host's ssh address (the URL then names the new host's); a URL on any other name is left as it
 * is, so the fix changes only what is certainly the old host.
 */
function healthEndpointFix(
  workspace: Workspace,
  file: string,
  endpoint: { pointer: string; host?: string; url?: string },
  host: string,
  addressOf: (host: string) => string | undefined,
): Fix | undefined {
  const hostFix = replaceValueFix(workspace, file, `${endpoint.pointer}/host`, host, `move the health endpoint to '${host}'`);
  if (!hostFix) return undefined;
  const oldAddress = endpoint.host === undefined ? undefined : addressOf(endpoint.host);
  const newAddress = addressOf(host);
  if (endpoint.url === undefined || oldAddress === undefined || newAddress === undefined) return hostFix;
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return hostFix;
  }
  if (url.hostname !== oldAddress && url.hostname !== endpoint.host) return hostFix;
  // Only the host as written changes (scheme, port, path and query stay byte for byte); a URL that
  // named the old host by name names the new one by name, one that used its address the new address.
  const written = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)(\[[^\]]*\]|[^:/?#]*)/i.exec(endpoint.url);
  if (!written || written[2]!.toLowerCase() !== url.hostname) return hostFix;
  const replacement = url.hostname === endpoint.host ? host : newAddress.includes(':') ? `[${newAddress}]` : newAddress;
  const urlFix = replaceValueFix(workspace, file, `${endpoint.pointer}/url`, written[1] + replacement + endpoint.url.slice(written[0].length), '');
  return urlFix
    ? { description: replacement === host ? `move the health endpoint to '${host}'` : `move the health endpoint to '${host}' (${newAddress})`, edits: [...hostFix.edits, ...urlFix.edits] }
    : hostFix;
}
