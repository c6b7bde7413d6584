import { defineCheck, pointer, trimEndChar, type Observation, type SshProbe, type Workspace } from '@spine-lint/core';
import { composeTargets, type ComposeTarget } from '../bindings/composeTargets.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { DEFAULT_COMMAND_TIMEOUT_SEC, exitText, failureOf, observationsOf, resolveSsh, sshProbe } from '../liveSupport.js';
import { commandTimeoutSecSchema, secondsToMs } from '../shared/options.js';

/** Registry statuses meaning "must not be running" (spec §1.6: active|deprecated|parked|stopped, observed retired). */
const RETIRED = new Set(['retired', 'stopped']);

export interface ComposeStacksRunningOptions {
  /** Timeout of each SSH command, in seconds. */
  commandTimeoutSec: number;
}

const DEFAULT_OPTIONS: ComposeStacksRunningOptions = { commandTimeoutSec: DEFAULT_COMMAND_TIMEOUT_SEC };

interface Entry {
  t: ComposeTarget;
  probe?: SshProbe;
  why?: string;
}

function entries(ws: Workspace, options: ComposeStacksRunningOptions): Entry[] {
  const timeout = secondsToMs(options.commandTimeoutSec);
  const out: Entry[] = [];
  for (const t of composeTargets(ws).targets.values()) {
    if (t.enabled === false) continue;
    if (!t.ssh_target) {
      out.push({ t, why: `target '${t.id}' has no ssh_target` });
      continue;
    }
    const r = resolveSsh(ws, t.ssh_target);
    if (!r.ok) out.push({ t, why: r.reason === 'missing' ? `ssh target '${t.ssh_target}' missing in ssh.targets` : `ssh target '${t.ssh_target}' has no host` });
    else {
      const connectTimeoutMs = t.connect_timeout_sec ? Math.round(t.connect_timeout_sec * 1000) : r.connectTimeoutMs;
      out.push({ t, probe: { ...sshProbe(`compose:${t.id}`, t.id, r, 'docker-compose-ls', {}, timeout), connectTimeoutMs } });
    }
  }
  return out;
}

interface Project {
  Name?: string;
  Status?: string;
  ConfigFiles?: string;
}

const basename = (p: string | undefined): string | undefined => (p === undefined ? undefined : trimEndChar(p, '/').split('/').pop());

/**
 * `docker.compose.status` (spec §2.15) reduced to its verdict: every enabled stack of
 * docker.compose.targets runs on its host (`docker compose ls --all --format json` over SSH), and
 * no SERVICE_REGISTRY service marked retired/stopped on that host is still up.
 */
export default defineCheck<'notRunning' | 'missing' | 'retiredRunning' | 'probeFailed' | 'unprobed', SshProbe, Observation, ComposeStacksRunningOptions>({
  id: 'compose-stacks-running',
  aliases: ['docker.compose.status'],
  title: 'Compose stacks are running where the bindings say',
  description: 'Every stack of every enabled docker.compose.targets host is a running compose project there; nothing SERVICE_REGISTRY calls retired or stopped is still running on that host.',
  severity: 'error',
  kind: 'live',
  reads: ['docker.compose.targets', 'ssh.targets', 'SERVICE_REGISTRY'],
  ports: 'ops/plugins/docker/bin/docker-compose-status',
  fixHint: 'docker compose up -d the missing stack on its host (or docker compose down the retired one), or correct docker.compose.targets.yaml.',
  optionsSchema: { type: 'object', properties: { commandTimeoutSec: commandTimeoutSecSchema } },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    notRunning: 'stack {{stack}} on {{host}} is not running (compose status: {{status}})',
    missing: 'stack {{stack}} on {{host}}: no compose project named {{project}} (running projects: {{running}})',
    retiredRunning: 'service {{service}} is {{registryStatus}} in SERVICE_REGISTRY but its compose project still runs on {{host}} ({{status}})',
    probeFailed: 'compose host {{host}}: cannot list compose projects: {{detail}}',
    unprobed: 'compose host {{host}}: cannot be probed: {{why}}',
  },
  plan(ctx) {
    return entries(ctx.workspace, ctx.options).flatMap((e) => (e.probe ? [e.probe] : []));
  },
  evaluate(ctx, observations) {
    const ws = ctx.workspace;
    const file = composeTargets(ws).file;
    const registry = serviceRegistry(ws);
    const list = entries(ws, ctx.options);
    const observed = observationsOf(
      list.flatMap((e) => (e.probe ? [e.probe] : [])),
      observations,
    );
    for (const e of list) {
      const host = e.t.id;
      if (!e.probe) {
        ctx.report({ messageId: 'unprobed', data: { host, target: host, why: e.why! }, file, pointer: e.t.ssh_target ? pointer('targets', host, 'ssh_target') : e.t.pointer });
        continue;
      }
      const o = observed(e.probe);
      const failure = failureOf(o);
      let projects: Project[] | undefined;
      if (!failure && o?.exitCode === 0) {
        try {
          const parsed = JSON.parse(o.stdout || '[]') as unknown;
          if (Array.isArray(parsed)) projects = parsed as Project[];
        } catch {
          projects = undefined;
        }
      }
      if (!projects) {
        ctx.report({
          messageId: 'probeFailed',
          data: { host, target: host, detail: failure ?? (o && o.exitCode !== 0 ? exitText(o) : 'output is not a JSON list') },
          file,
          pointer: pointer('targets', host, 'ssh_target'),
        });
        continue;
      }
      const running = projects.filter((p) => /^running/i.test(p.Status ?? '')).map((p) => p.Name ?? '?');
      for (const s of e.t.stacks) {
        if (!s.name || s.legacy_only === true) continue;
        const names = [...new Set([s.name, basename(s.path)].filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase()))];
        const project = projects.find((p) => names.includes((p.Name ?? '').toLowerCase()));
        if (!project)
          ctx.report({
            messageId: 'missing',
            data: { stack: s.name, host, target: host, project: names.join(' or '), running: running.length ? running.join(', ') : 'none' },
            file,
            pointer: pointer('targets', host, 'stacks', s.index, 'name'),
          });
        else if (!/^running/i.test(project.Status ?? ''))
          ctx.report({ messageId: 'notRunning', data: { stack: s.name, host, target: host, status: project.Status ?? 'unknown' }, file, pointer: pointer('targets', host, 'stacks', s.index, 'name') });
      }
      for (const svc of registry.services.values()) {
        if (!svc.status || !RETIRED.has(svc.status) || (svc.host !== host && svc.host !== e.t.ssh_target)) continue;
        const names = [...new Set([svc.id, basename(svc.compose)].filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase()))];
        const project = projects.find((p) => names.includes((p.Name ?? '').toLowerCase()) && /^running/i.test(p.Status ?? ''));
        if (project)
          ctx.report({
            messageId: 'retiredRunning',
            data: { service: svc.id, registryStatus: svc.status, host, target: host, status: project.Status ?? 'running' },
            file: registry.file,
            pointer: `${svc.pointer}/status`,
          });
      }
    }
  },
});
