import { buildCommand } from './commands.js';
import { redactUrl } from './redact.js';
import type { LivePlan } from './engine.js';

/** Where a probe goes, for grouping the plan per host. */
function hostOf(p: LivePlan['checks'][number]['probes'][number]): string {
  if (p.kind === 'ssh') return `${p.ssh.id} (ssh ${p.ssh.user}@${p.ssh.host}:${p.ssh.port})`;
  try {
    const u = new URL(p.url);
    return `${u.host} (http)`;
  } catch {
    return `(invalid URL)`;
  }
}

/** The `--dry-run` text: every request and command, grouped per host; nothing is sent. */
export function formatPlan(plan: LivePlan): string {
  const byHost = new Map<string, string[]>();
  let count = 0;
  for (const { check, probes } of plan.checks) {
    for (const p of probes) {
      count++;
      let line: string;
      if (p.kind === 'http') {
        line = `GET ${redactUrl(p.url)}  [${check.id} ${p.target}] connect ${p.connectTimeoutMs} ms, total ${p.totalTimeoutMs} ms${p.expectStatus ? `, expect ${p.expectStatus.join(',')}` : ''}`;
      } else {
        const built = buildCommand(p.command, p.args);
        line = built.ok ? `$ ${built.commandLine}  [${check.id}] timeout ${p.commandTimeoutMs} ms` : `REFUSED ${p.command}: ${built.error}  [${check.id}]`;
      }
      const h = hostOf(p);
      const lines = byHost.get(h) ?? [];
      lines.push(line);
      byHost.set(h, lines);
    }
  }
  const out: string[] = [`Probe plan: ${count} probe(s) on ${byHost.size} host(s) from ${plan.checks.length} live check(s). Nothing was sent.`];
  for (const h of [...byHost.keys()].sort()) {
    out.push('', h);
    for (const l of byHost.get(h)!) out.push(`  ${l}`);
  }
  return out.join('\n') + '\n';
}
