import { defineCheck, hasLineTerminator, isLineTerminatorCode, pointer, trimEndIndex, type Observation, type SshProbe, type Workspace } from '@spine-lint/core';
import { backupInventory, type BackupTarget } from '../bindings/backupInventory.js';
import { DEFAULT_COMMAND_TIMEOUT_SEC, exitText, failureOf, observationsOf, resolveSsh, sshProbe } from '../liveSupport.js';
import { commandTimeoutSecSchema, secondsToMs } from '../shared/options.js';

/** The epoch and the whole seconds of a `find -printf '%T@ %p'` line (and the spaces after them). */
const NEWEST_HEAD = /^(\d+)(?:\.\d+)?\s+/;

/**
 * `<epoch>[.<fraction>] <path>`: what `/^(\d+)(?:\.\d+)?\s+(.+)$/` captured, without its backtracking
 * (quadratic in a run of spaces before a line terminator; the output may be 256 KiB). The path is the
 * rest after the spaces and holds no line terminator (`.` matches none); when only spaces follow, the
 * expression gave the last of them (if there are two or more and it is no line terminator) to `.+`.
 */
export function newestEntry(line: string): { epoch: string; path: string } | undefined {
  const head = NEWEST_HEAD.exec(line);
  if (!head) return undefined;
  const from = head[0].length;
  if (from < line.length) return hasLineTerminator(line, from) ? undefined : { epoch: head[1]!, path: line.slice(from) };
  // Only spaces after the number: `\s+` keeps at least one, `.+` takes the last.
  const spaces = from - trimEndIndex(line, from);
  const last = line.charCodeAt(from - 1);
  return spaces >= 2 && !isLineTerminatorCode(last) ? { epoch: head[1]!, path: line[from - 1]! } : undefined;
}

export interface BackupFreshnessOptions {
  /** Timeout of each SSH command, in seconds. */
  commandTimeoutSec: number;
}

const DEFAULT_OPTIONS: BackupFreshnessOptions = { commandTimeoutSec: DEFAULT_COMMAND_TIMEOUT_SEC };

interface Entry {
  t: BackupTarget;
  name: string;
  probe?: SshProbe;
  unresolved?: string;
  staleAfter: number;
}

function entries(ws: Workspace, options: BackupFreshnessOptions): Entry[] {
  const inv = backupInventory(ws);
  const raw = (ws.yaml(inv.file)?.value ?? {}) as { defaults?: { stale_after_hours?: unknown; ssh_timeout_sec?: unknown } };
  const defStale = typeof raw.defaults?.stale_after_hours === 'number' ? raw.defaults.stale_after_hours : 26;
  const timeout = secondsToMs(options.commandTimeoutSec);
  const out: Entry[] = [];
  for (const t of inv.targets) {
    // backup.status probes `enabled: true` file_glob targets only (spec §2.15).
    if (t.enabled !== true || t.kind !== 'file_glob' || !t.name) continue;
    const e: Entry = { t, name: t.name, staleAfter: t.stale_after_hours ?? defStale };
    const r = t.host ? resolveSsh(ws, t.host) : undefined;
    if (!t.host) e.unresolved = 'no host';
    else if (!r || !r.ok) e.unresolved = r?.reason === 'no-host' ? `ssh.targets '${t.host}' has no host` : `host '${t.host}' is not an ssh.targets id (unknown_host_binding)`;
    else e.probe = sshProbe(`backup:${t.name}`, t.name, r, 'newest-file', { dir: t.base_path ?? '', glob: t.glob ?? '' }, timeout);
    out.push(e);
  }
  return out;
}

/**
 * `backup.status` (spec §2.15) as a live check: for each enabled `file_glob` backup target, the
 * newest file matching `glob` in `base_path` on its host is younger than `stale_after_hours`.
 */
export default defineCheck<'stale' | 'noMatches' | 'pathMissing' | 'probeFailed' | 'unresolved', SshProbe, Observation, BackupFreshnessOptions>({
  id: 'backup-freshness',
  aliases: ['backup.status'],
  title: 'Backups are fresh',
  description:
    'For each enabled file_glob target of backup.inventory, the newest matching file on its host is younger than stale_after_hours (floor of the age in hours, as backup.status computes it).',
  severity: 'error',
  kind: 'live',
  reads: ['backup.inventory', 'ssh.targets'],
  ports: 'backup.status (backup-status.legacy)',
  fixHint: 'Check the backup job for the target (vzdump schedule, destination mount), or correct base_path/glob in backup.inventory.yaml.',
  optionsSchema: { type: 'object', properties: { commandTimeoutSec: commandTimeoutSecSchema } },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    stale: 'backup {{backup}} on {{host}}: newest {{file}} is {{ageHours}} h old, older than stale_after_hours {{staleAfterHours}}',
    noMatches: 'backup {{backup}} on {{host}}: no file matches {{glob}} in {{basePath}}',
    pathMissing: 'backup {{backup}} on {{host}}: base_path {{basePath}} does not exist',
    probeFailed: 'backup {{backup}} on {{host}}: could not list backups: {{detail}}',
    unresolved: 'backup {{backup}}: cannot be probed: {{why}}',
  },
  plan(ctx) {
    return entries(ctx.workspace, ctx.options).flatMap((e) => (e.probe ? [e.probe] : []));
  },
  evaluate(ctx, observations) {
    const inv = backupInventory(ctx.workspace);
    const list = entries(ctx.workspace, ctx.options);
    const observed = observationsOf(
      list.flatMap((e) => (e.probe ? [e.probe] : [])),
      observations,
    );
    for (const e of list) {
      const at = (field: string): string => pointer('targets', e.t.index, field);
      const base = { backup: e.name, target: e.name, host: e.t.host ?? 'null', basePath: e.t.base_path ?? 'null', glob: e.t.glob ?? 'null' };
      if (!e.probe) {
        ctx.report({ messageId: 'unresolved', data: { ...base, why: e.unresolved! }, file: inv.file, pointer: at('host') });
        continue;
      }
      const o = observed(e.probe);
      const failure = failureOf(o);
      if (failure !== undefined || !o) {
        ctx.report({ messageId: 'probeFailed', data: { ...base, detail: failure ?? 'no observation' }, file: inv.file, pointer: at('host') });
        continue;
      }
      if (o.exitCode === 3 && (o.stderr ?? '').includes('no such directory')) {
        ctx.report({ messageId: 'pathMissing', data: base, file: inv.file, pointer: at('base_path') });
        continue;
      }
      if (o.exitCode !== 0) {
        ctx.report({ messageId: 'probeFailed', data: { ...base, detail: exitText(o) }, file: inv.file, pointer: at('host') });
        continue;
      }
      const m = newestEntry((o.stdout ?? '').trim().split('\n').pop() ?? '');
      if (!m) {
        ctx.report({ messageId: 'noMatches', data: base, file: inv.file, pointer: at('glob') });
        continue;
      }
      const ageHours = Math.floor((ctx.now.getTime() / 1000 - Number(m.epoch)) / 3600);
      if (ageHours > e.staleAfter) {
        ctx.report({
          messageId: 'stale',
          data: { ...base, file: m.path, ageHours, staleAfterHours: e.staleAfter },
          file: inv.file,
          pointer: at(e.t.stale_after_hours !== undefined ? 'stale_after_hours' : 'name'),
        });
      }
    }
  },
});
