import { buildCommand, NO_COMMANDS } from './commands.js';
import { escapeTerminal } from '../reporters/escape.js';
import { httpUrlProblem } from './http.js';
import { redactCredentials, redactUrl } from './redact.js';
import { sshTargetProblem } from './ssh.js';
import { describeClamped } from './timeouts.js';
import type { LivePlan } from './engine.js';

/**
 * Control, bidi and zero-width characters of binding values (URLs, targets) never reach the
 * terminal raw: the one terminal escape, and TAB shown too (one plan line per probe, columns kept).
 */
const controlsEscaped = (s: string): string => escapeTerminal(s).replace(/\t/g, '\\x09');

/** A binding value as printed in the plan: quoted and escaped unless it is plainly safe. */
const shown = (v: unknown): string => (typeof v === 'string' && /^[A-Za-z0-9._:[\]-]+$/.test(v) ? v : JSON.stringify(v));

/** Where a probe goes, for grouping the plan per host. */
function hostOf(p: LivePlan['checks'][number]['probes'][number]): string {
  if (p.kind === 'ssh') return `${shown(p.ssh.id)} (ssh ${shown(p.ssh.user)}@${shown(p.ssh.host)}:${shown(p.ssh.port)})`;
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
        // JSON.stringify: a body expectation comes from a binding or the config, so control characters are escaped.
        const body = p.expectBodyContains !== undefined ? `, body contains ${JSON.stringify(p.expectBodyContains.length > 80 ? `${p.expectBodyContains.slice(0, 80)}…` : p.expectBodyContains)}` : '';
        const checked = httpUrlProblem(p.url);
        line = checked.ok
          ? `GET ${redactUrl(p.url)}  [${check.id} ${p.target}] connect ${p.connectTimeoutMs} ms, total ${p.totalTimeoutMs} ms${p.expectStatus ? `, expect ${p.expectStatus.join(',')}` : ''}${body}`
          : `REFUSED GET ${redactUrl(String(p.url))}: ${checked.error}  [${check.id} ${p.target}]`;
      } else {
        const built = buildCommand(plan.options.commands ?? NO_COMMANDS, p.command, p.args);
        const badTarget = sshTargetProblem(p.ssh);
        line = badTarget
          ? `REFUSED ${p.command}: ${badTarget}  [${check.id}]`
          : built.ok
            ? `$ ${built.commandLine}  [${check.id}] timeout ${p.commandTimeoutMs} ms`
            : `REFUSED ${p.command}: ${built.error}  [${check.id}]`;
      }
      // A timeout over the maximum was lowered when planning: say so on the probe's line.
      if (p.clampedTimeouts?.length) line += ` (${p.clampedTimeouts.map(describeClamped).join('; ')})`;
      const h = hostOf(p);
      const lines = byHost.get(h) ?? [];
      lines.push(line);
      byHost.set(h, lines);
    }
  }
  const out: string[] = [`Probe plan: ${count} probe(s) on ${byHost.size} host(s) from ${plan.checks.length} live check(s). Nothing was sent.`];
  for (const h of [...byHost.keys()].sort()) {
    out.push('', controlsEscaped(h));
    // Targets and ids are binding values too: any URL credentials in them are redacted as well.
    for (const l of byHost.get(h)!) out.push(`  ${controlsEscaped(redactCredentials(l))}`);
  }
  return out.join('\n') + '\n';
}

/** One probe of the `--dry-run --format json` plan. */
export interface PlannedProbeJson {
  check: string;
  id: string;
  kind: 'http' | 'ssh';
  /** Where it goes: `host:port` of the URL, or the SSH target's id. */
  host: string;
  target: string;
  /** `GET <url>` (credentials redacted) or the exact command line; absent when refused. */
  request?: string;
  /** Why it would not be sent (a URL that does not decode, a command off the allowlist, a bad target). */
  refused?: string;
  timeoutsMs: Record<string, number>;
}

/** The `--dry-run` plan as data (`--format json`): the same probes and refusals as {@link formatPlan}. */
export function planJson(plan: LivePlan): { version: 1; sent: false; probes: PlannedProbeJson[] } {
  const probes: PlannedProbeJson[] = [];
  for (const { check, probes: planned } of plan.checks) {
    for (const p of planned) {
      if (p.kind === 'http') {
        const checked = httpUrlProblem(p.url);
        let host = '(invalid URL)';
        try {
          host = new URL(p.url).host;
        } catch {
          // an unparsable URL is refused below
        }
        probes.push({
          check: check.id,
          id: p.id,
          kind: 'http',
          host: redactCredentials(host),
          target: redactCredentials(String(p.target)),
          ...(checked.ok ? { request: `GET ${redactUrl(p.url)}` } : { refused: checked.error }),
          timeoutsMs: { connect: p.connectTimeoutMs, total: p.totalTimeoutMs },
        });
      } else {
        const built = buildCommand(plan.options.commands ?? NO_COMMANDS, p.command, p.args);
        const badTarget = sshTargetProblem(p.ssh);
        const refused = badTarget ?? (built.ok ? undefined : built.error);
        probes.push({
          check: check.id,
          id: p.id,
          kind: 'ssh',
          host: redactCredentials(String(p.ssh.id)),
          target: redactCredentials(String(p.target)),
          ...(refused === undefined && built.ok ? { request: built.commandLine } : { refused: refused ?? 'refused' }),
          timeoutsMs: { command: p.commandTimeoutMs },
        });
      }
    }
  }
  return { version: 1, sent: false, probes };
}
