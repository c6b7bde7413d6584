/**
 * `spine-lint relocate <service> --to <host> [--state S] [--status S]`: the runbook's steps 5 and 7
 * as a command. It edits the relocation manifest — the service's `to_host`, and, walked along the
 * state machine with the transition capabilities' rules (spec §3.2, §3.3), the relocation's state,
 * the VM target's status and the service's status — then lets the checks make every SSOT edit they
 * require for that state (the same fixes `check --fix` applies: SERVICE_REGISTRY follows the
 * manifest, …) and runs the static catalog on the result. `--dry-run` prints the diff, writes nothing.
 */
import { resolve } from 'node:path';
import { DirectorySource, didYouMean, escapeTerminal, exitCodeFor, replaceValueFix, reporterFor, runChecks, syntaxScan, UsageError, applyEdits, type Report, type Workspace } from '@spine-lint/core';
import { planRelocationMove, relocationPlan, sshTargets } from '@spine-lint/checks';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';
import { fixDiff, fixPasses, writeFixed } from '../fixRun.js';
import { workspaceFrom } from '../prGate.js';
import { setup } from '../setup.js';
import { reporterContextFor } from '../reporterContext.js';
import { OverlaySource } from '@spine-lint/core';

export const relocateHelp = `Usage: spine-lint relocate <service> [--to HOST] [--state STATE] [--status STATUS] [--dry-run] [--root DIR]

Move a service of the relocation manifest (infra.relocation.plan.yaml): set its to_host, walk the
relocation state, the host's VM target and the service status along the state machine (each step
checked as the transition capabilities check it), then make every SSOT edit the checks require for
that state (the fixes 'spine-lint check --fix' applies: SERVICE_REGISTRY, services.health,
docker.compose.targets and DEVICE_IDENTITY follow the manifest), and run the static checks on the
result. Only binding files inside the root are written, each atomically and only if unchanged since
it was read.

Options:
  --to HOST            the new host: an id of ssh.targets.yaml (default: the entry's to_host)
  --state STATE        move active_relocation.state forward to STATE (planning → preflight → cutover → cleanup → complete)
  --status STATUS      move the service's status to STATUS (planned → shadow → cutover → applied; rolled-back)
  --approved-by WHO    set active_relocation.approved_by (cutover needs one)
  --vm-status STATUS   set the status of the host's VM target (planned|provisioned|ready|cutover|complete)
  --tailscale-ip IP    set the Tailscale IP of the host's VM target (ready and later need one)
  --dry-run            print the edits as a unified diff; write nothing
  --root DIR       spine repository root (default: .)
  -c, --config F       config file (default: <root>/.spine-lint.yaml when present)
  --now DATE           the date written to active_relocation.updated_at and freshness checks compare against
  --no-color           never colour output
  -h, --help           this help

Exit codes: 0 moved (or would move) and no error left, 1 errors left, 2 usage or input error.
`;

export async function relocateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      to: { type: 'string' },
      state: { type: 'string' },
      status: { type: 'string' },
      'approved-by': { type: 'string' },
      'vm-status': { type: 'string' },
      'tailscale-ip': { type: 'string' },
      'dry-run': { type: 'boolean' },
      root: { type: 'string' },
      config: { type: 'string', short: 'c' },
      now: { type: 'string' },
      'no-color': { type: 'boolean' },
      color: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(relocateHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`relocate takes one service name (got ${positionals.length}); see 'spine-lint relocate --help'`);
  const service = positionals[0]!;
  if (values.to === undefined && values.state === undefined && values.status === undefined && values['vm-status'] === undefined)
    throw new UsageError("relocate needs --to HOST, --state, --status or --vm-status; see 'spine-lint relocate --help'");
  // Written into the manifest: one line of printable text (a line break or a control character is no approver's name).
  if (values['approved-by'] !== undefined && (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(values['approved-by']) || values['approved-by'].trim() === ''))
    throw new UsageError('relocate: --approved-by must be one line of printable text (a name or a handle such as @ronny)');
  const { parseNow } = await import('../args.js');
  const now = parseNow(values.now) ?? new Date();
  const s = await setup({ root: values.root, config: values.config }, io);
  const ws = s.workspace;

  const plan = relocationPlan(ws);
  if (plan.status !== 'loaded')
    throw new UsageError(
      `relocate: the relocation manifest ${ws.pathOf('infra.relocation.plan')} is ${plan.status === 'absent' ? 'missing' : 'not readable as data'}; run 'spine-lint check' for its findings`,
    );
  const entries = plan.servicesByName.get(service) ?? [];
  if (entries.length === 0) {
    const near = didYouMean(service, [...plan.servicesByName.keys()]);
    throw new UsageError(`relocate: service '${service}' is not in ${ws.pathOf(plan.file)}${near ? ` (did you mean '${near}'?)` : ''}; add its entry (status planned) first`);
  }
  if (entries.length > 1) throw new UsageError(`relocate: service '${service}' has ${entries.length} entries in ${ws.pathOf(plan.file)}; remove the duplicate first`);
  const entry = entries[0]!;
  const to = values.to ?? entry.to_host;
  if (to === undefined) throw new UsageError(`relocate: '${service}' has no to_host in ${ws.pathOf(plan.file)}; pass --to HOST`);
  const ssh = sshTargets(ws);
  const hosts = ssh.status === 'loaded' ? [...ssh.byId.keys()] : [];
  if (!hosts.includes(to)) {
    const near = didYouMean(to, hosts);
    throw new UsageError(`relocate: '${to}' is not a host of ${ws.pathOf('ssh.targets')}${near ? ` (did you mean '${near}'?)` : ''}: a service moves to a host the spine can reach`);
  }

  // 1. The manifest: the move planned along the state machine, then one edit per value that changes.
  const ar = plan.activeRelocation ?? undefined;
  const state = ar?.state === undefined || ar.state === 'null' || ar.state === 'none' ? undefined : ar.state;
  const vmTargets = plan.vmTargetsByHostname.get(to) ?? [];
  if (vmTargets.length > 1) throw new UsageError(`relocate: '${to}' has ${vmTargets.length} entries in vm_targets of ${ws.pathOf(plan.file)}; remove the duplicate first`);
  const vm = vmTargets[0];
  const move = planRelocationMove(
    {
      state,
      approvedBy: ar?.approved_by,
      service,
      serviceStatus: entry.status ?? 'planned',
      rollbackTo: entry.rollback_to,
      vm: vm && { name: to, status: vm.status, tailscaleIp: vm.tailscale_ip },
    },
    { state: values.state, status: values.status, approvedBy: values['approved-by'], vmStatus: values['vm-status'], tailscaleIp: values['tailscale-ip'] },
  );
  if (!move.ok) throw new UsageError(`relocate: ${move.reason}`);
  const manifest = ws.pathOf(plan.file);
  const edits: { pointer: string; value: string; what: string }[] = [];
  const set = (pointer: string, current: string | undefined, value: string | undefined, what: string): void => {
    if (value !== undefined && value !== current) edits.push({ pointer, value, what });
  };
  set(`${entry.pointer}/to_host`, entry.to_host, to, 'to_host');
  set(`${entry.pointer}/status`, entry.status, move.statuses.at(-1), 'status');
  if (ar) {
    set(`${ar.pointer}/state`, ar.state, move.states.at(-1), 'active_relocation.state');
    set(`${ar.pointer}/approved_by`, ar.approved_by, values['approved-by'], 'active_relocation.approved_by');
    // The transition capabilities stamp updated_at on every state or status change (spec §2.7, §2.8).
    if (move.states.length > 0 || move.statuses.length > 0) set(`${ar.pointer}/updated_at`, ar.updated_at, now.toISOString().replace(/\.\d{3}Z$/, 'Z'), 'active_relocation.updated_at');
  }
  if (vm) {
    set(`${vm.pointer}/status`, vm.status, values['vm-status'], `vm_targets '${to}' status`);
    set(`${vm.pointer}/tailscale_ip`, vm.tailscale_ip, values['tailscale-ip'], `vm_targets '${to}' tailscale_ip`);
  }
  const overrides = new Map<string, string>();
  if (edits.length > 0) {
    const text = ws.text(plan.file)!;
    const textEdits = edits.map((e) => {
      const fix = replaceValueFix(ws, plan.file, e.pointer, e.value, `${e.what} → ${e.value}`);
      if (!fix) throw new UsageError(`relocate: cannot place the ${e.what} of '${service}' in ${manifest} (add a one-line '${e.pointer.split('/').pop()}:' key with a plain value there)`);
      return fix.edits;
    });
    const r = applyEdits(text, textEdits.flat());
    if (!r.ok) throw new UsageError(`relocate: ${r.reason}`);
    overrides.set(manifest, r.text);
  }

  // 2. Every SSOT edit the checks require for that state: their fixes, in passes.
  const inner = new DirectorySource(s.root);
  const over = (texts: Map<string, string>): Workspace => workspaceFrom(s, new OverlaySource(inner, texts));
  const run = (w: Workspace): Report => runChecks({ workspace: w, checks: s.checks, severities: s.severities, checkOptions: s.checkOptions, now, producers: [syntaxScan(s.bindingDirs)] });
  const moved = over(overrides);
  // Only the edits about this service: other findings' fixes are 'check --fix's to make.
  const outcome = fixPasses(
    run(moved),
    moved,
    run,
    (overlay) => workspaceFrom(s, overlay),
    new OverlaySource(inner, overrides),
    (d) => d.data.service === service || (typeof d.data.services === 'string' && d.data.services.split(', ').includes(service)),
  );
  // The manifest edit is part of the change: its original is the tree's text.
  const changed = new Map(outcome.changed);
  if (overrides.has(manifest)) {
    const before = ws.text(plan.file)!;
    const after = outcome.changed.get(manifest)?.after ?? overrides.get(manifest)!;
    changed.set(manifest, { before, after });
  }
  for (const [file, c] of changed) if (c.before === c.after) changed.delete(file);

  if (values['dry-run']) io.stdout(fixDiff(changed));
  else writeFixed(s.root, changed, outcome);
  const files = [...changed.keys()].sort();
  const steps = [
    move.states.length > 0 ? `state ${[state, ...move.states].join(' → ')}` : '',
    move.statuses.length > 0 ? `status ${[entry.status ?? 'planned', ...move.statuses].join(' → ')}` : '',
  ].filter(Boolean);
  const walk = steps.length > 0 ? ` (${steps.map(escapeTerminal).join(', ')})` : '';
  io.stderr(
    `spine-lint: ${values['dry-run'] ? 'would relocate' : 'relocated'} '${escapeTerminal(service)}' to '${escapeTerminal(to)}'${walk}: ${files.length === 0 ? 'nothing to change' : `${files.length} file${files.length === 1 ? '' : 's'} ${values['dry-run'] ? 'would change' : 'changed'} (${files.map(escapeTerminal).join(', ')})`}\n`,
  );
  // 3. The static catalog on the result: what is left for a person (or says it is clean).
  const report = outcome.report;
  const text = reporterFor('stylish')!(report, reporterContextFor({ root: resolve(s.root), rootPrefix: s.rootPrefix }, values, io));
  if (values['dry-run']) io.stderr(text);
  else io.stdout(text);
  return exitCodeFor(report.summary, undefined);
}
