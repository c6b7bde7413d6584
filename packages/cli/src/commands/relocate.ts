/**
 * `spine-lint relocate <service> --to <host>`: the runbook's step 7 as a command. It sets the
 * service's `to_host` in the relocation manifest, then lets the checks make every SSOT edit they
 * require for the service's status and the relocation's state — the same fixes `check --fix`
 * applies (SERVICE_REGISTRY follows the manifest, …) — and runs the static catalog on the result.
 * `--dry-run` prints the diff and writes nothing.
 */
import { resolve } from 'node:path';
import { DirectorySource, didYouMean, escapeTerminal, exitCodeFor, replaceValueFix, reporterFor, runChecks, syntaxScan, UsageError, applyEdits, type Report, type Workspace } from '@spine-lint/core';
import { relocationPlan, sshTargets } from '@spine-lint/checks';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';
import { useColor } from '../optionTables.js';
import { fixDiff, fixPasses, writeFixed } from '../fixRun.js';
import { workspaceFrom } from '../prGate.js';
import { setup } from '../setup.js';
import { toolVersion } from '../version.js';
import { OverlaySource } from '@spine-lint/core';

export const relocateHelp = `Usage: spine-lint relocate <service> --to <host> [--dry-run] [--root DIR] [--config FILE]

Move a service of the relocation manifest (infra.relocation.plan.yaml) to another host: set its
to_host, then make every SSOT edit the checks require for its status and the relocation's state
(the fixes 'spine-lint check --fix' applies: SERVICE_REGISTRY follows the manifest, …), and run
the static checks on the result. Only binding files inside the root are written, each atomically
and only if unchanged since it was read.

Options:
  --to HOST        the new host: an id of ssh.targets.yaml
  --dry-run        print the edits as a unified diff; write nothing
  --root DIR       spine repository root (default: .)
  -c, --config F   config file (default: <root>/.spine-lint.yaml when present)
  --now DATE       the date freshness checks compare against
  --no-color       never colour output
  -h, --help       this help

Exit codes: 0 moved (or would move) and no error left, 1 errors left, 2 usage or input error.
`;

export async function relocateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      to: { type: 'string' },
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
  if (!values.to) throw new UsageError('relocate needs --to HOST (an id of ssh.targets.yaml)');
  const to = values.to;
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
  const ssh = sshTargets(ws);
  const hosts = ssh.status === 'loaded' ? [...ssh.byId.keys()] : [];
  if (!hosts.includes(to)) {
    const near = didYouMean(to, hosts);
    throw new UsageError(`relocate: '${to}' is not a host of ${ws.pathOf('ssh.targets')}${near ? ` (did you mean '${near}'?)` : ''}: a service moves to a host the spine can reach`);
  }

  // 1. The manifest entry: to_host (kept when it already says so).
  const entry = entries[0]!;
  const manifest = ws.pathOf(plan.file);
  const overrides = new Map<string, string>();
  if (entry.to_host !== to) {
    const fix = replaceValueFix(ws, plan.file, `${entry.pointer}/to_host`, to, `move '${service}' to '${to}'`);
    const text = ws.text(plan.file);
    if (!fix || text === undefined) throw new UsageError(`relocate: cannot place the to_host of '${service}' in ${manifest} (add a one-line 'to_host:' to the entry)`);
    const r = applyEdits(text, fix.edits);
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
    (d) => d.data.service === service || (Array.isArray(d.data.services) && d.data.services.includes(service)),
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
  else writeFixed(s.root, changed);
  const files = [...changed.keys()].sort();
  io.stderr(
    `spine-lint: ${values['dry-run'] ? 'would relocate' : 'relocated'} '${escapeTerminal(service)}' to '${escapeTerminal(to)}': ${files.length === 0 ? 'nothing to change' : `${files.length} file${files.length === 1 ? '' : 's'} ${values['dry-run'] ? 'would change' : 'changed'} (${files.map(escapeTerminal).join(', ')})`}\n`,
  );
  // 3. The static catalog on the result: what is left for a person (or says it is clean).
  const report = outcome.report;
  const text = reporterFor('stylish')!(report, { color: useColor(values, io.stdoutIsTTY, io.env), cwd: io.cwd, rootPrefix: s.rootPrefix, root: resolve(s.root), version: toolVersion() });
  if (values['dry-run']) io.stderr(text);
  else io.stdout(text);
  return exitCodeFor(report.summary, undefined);
}
