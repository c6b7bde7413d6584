import { resolve } from 'node:path';
import {
  checkMatches,
  CORE_CHECKS,
  DEFAULT_CONCURRENCY,
  DEFAULT_SSH_CONCURRENCY,
  executeLivePlan,
  exitCodeFor,
  formatPlan,
  planJson,
  terminalSafeJson,
  LiveExecutor,
  parseCidr,
  outsideRootReason,
  parseProbeSettings,
  planLiveChecks,
  prometheusTextfile,
  readRecording,
  ReplayExecutor,
  reporterNames,
  reporterFor,
  UsageError,
  writeFileAtomic,
  writeRecording,
  type ProbeExecutor,
  type ProbeProgress,
} from '@spine-lint/core';
import { remoteCommands } from '@spine-lint/checks';
import { parse, parseInteger, parseNow, runOptions, splitList } from '../args.js';
import type { CliIo } from '../io.js';
import { setup } from '../setup.js';
import { reporterContextFor } from '../reporterContext.js';

/** Live findings are their own code scanning analysis: uploaded beside check's SARIF, neither replaces the other. */
export const PROBE_SARIF_CATEGORY = 'spine-lint-probe/';

const formats = (): string[] => [...reporterNames(), 'prometheus'];

export const probeHelp = (): string => `Usage: spine-lint probe [options]

Run the live checks: HTTP health endpoints and read-only SSH commands against the hosts in the
bindings (plan → execute → evaluate). Only this command touches the network.

Options:
  --root DIR           spine repository root (default: .)
  --config FILE        config file (default: <root>/.spine-lint.yaml when present)
  --only IDS           run only these live checks (ids or aliases, comma-separated)
  --dry-run            print every request and command, per host, and exit 0 (nothing is sent)
  --record FILE        save the observations to FILE (JSON)
  --replay FILE        evaluate the observations in FILE instead of probing (no network)
  --concurrency N      HTTP requests in flight at once (default: ${DEFAULT_CONCURRENCY}; config probes.concurrency)
  --ssh-concurrency N  SSH hosts probed at once, one connection each (default: ${DEFAULT_SSH_CONCURRENCY};
                       config probes.sshConcurrency)
  --timeout SEC        override every probe's total/command timeout (config probes.timeout)
  --retries N          retry failed HTTP probes N times with backoff (default: 0)
  --allow CIDRS        address ranges probes may reach after DNS resolution, comma-separated
                       (default: everything except link-local and cloud metadata; config probes.allow)
  --identity FILE      SSH private key (default: the SSH agent, SSH_AUTH_SOCK)
  --known-hosts FILE   known_hosts to verify host keys against (default: ~/.ssh/known_hosts)
  --accept-new         trust and record unknown host keys on first use (changed keys still fail)
  --format F           ${formats().join(' | ')} (default: stylish)
  --output FILE        write the report to FILE instead of stdout
  --max-warnings N     exit 1 when there are more than N warnings
  --quiet              report errors only
  --no-color / --color
  --now DATE           the time freshness is judged against (default: now)
  -h, --help           this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage, config or input error.
`;

const options = {
  ...runOptions,
  'dry-run': { type: 'boolean' },
  record: { type: 'string' },
  replay: { type: 'string' },
  concurrency: { type: 'string' },
  'ssh-concurrency': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  allow: { type: 'string', multiple: true },
  identity: { type: 'string' },
  'known-hosts': { type: 'string' },
  'accept-new': { type: 'boolean' },
} as const;

export async function probeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, options);
  if (values.help) {
    io.stdout(probeHelp());
    return 0;
  }
  const format = values.format ?? 'stylish';
  if (format !== 'prometheus' && !reporterFor(format)) throw new UsageError(`unknown format '${format}' (choose from ${formats().join(', ')})`);
  if (values.record && values.replay) throw new UsageError('--record and --replay cannot be combined');
  const maxWarnings = parseInteger('max-warnings', values['max-warnings']);
  const now = parseNow(values.now);
  const s = await setup({ root: values.root, config: values.config }, io);
  const settings = parseProbeSettings(s.config.probes, s.config.source);
  const concurrency = parseInteger('concurrency', values.concurrency, 1) ?? settings.concurrency;
  const sshConcurrency = parseInteger('ssh-concurrency', values['ssh-concurrency'], 1) ?? settings.sshConcurrency;
  const retries = parseInteger('retries', values.retries) ?? settings.retries ?? 0;
  let timeoutSec = settings.timeout;
  if (values.timeout !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(values.timeout) || Number(values.timeout) <= 0) throw new UsageError(`--timeout takes a positive number of seconds (got '${values.timeout}')`);
    timeoutSec = Number(values.timeout);
  }
  let allow = settings.allow;
  const allowFlag = splitList(values.allow);
  if (allowFlag.length > 0) {
    for (const c of allowFlag) {
      try {
        parseCidr(c);
      } catch (error) {
        throw new UsageError(`--allow: ${(error as Error).message}`);
      }
    }
    allow = allowFlag;
  }
  const only = splitList(values.only);
  for (const name of only) {
    const c = [...CORE_CHECKS, ...s.checks].find((x) => checkMatches(x, name));
    if (!c) throw new UsageError(`--only: no check has the id or alias '${name}' (see 'spine-lint list')`);
    if (c.kind !== 'live') throw new UsageError(`--only: '${name}' is a ${c.kind} check; 'spine-lint probe' runs live checks (use 'spine-lint check' for it)`);
  }

  // The catalog's fixed read-only command allowlist: the plan shows its command lines, the executor runs nothing else.
  const plan = planLiveChecks({ workspace: s.workspace, checks: s.checks, only, severities: s.severities, checkOptions: s.checkOptions, now, commands: remoteCommands });
  if (values['dry-run']) {
    // The plan is text or JSON; the report formats describe observations, which a dry run has none of.
    if (format === 'json') io.stdout(terminalSafeJson(JSON.stringify(planJson(plan), null, 2)) + '\n');
    else if (format === 'stylish') io.stdout(formatPlan(plan));
    else throw new UsageError(`--dry-run prints the plan as stylish text or json, not ${format}`);
    return 0;
  }

  let executor: ProbeExecutor;
  if (values.replay) {
    try {
      executor = new ReplayExecutor(readRecording(resolve(io.cwd, values.replay)));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  } else {
    const rel = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(io.cwd, p));
    const acceptNew = values['accept-new'] ?? settings.acceptNew ?? false;
    // probes.knownHosts comes from the repository: accept-new may write it only inside the root
    // (refused here, before anything is probed; the executor checks again when it appends).
    const knownHostsFromConfig = values['known-hosts'] === undefined && settings.knownHosts !== undefined;
    if (knownHostsFromConfig && acceptNew) {
      const outside = outsideRootReason(resolve(s.root, settings.knownHosts!), s.root);
      if (outside)
        throw new UsageError(
          `${s.config.source ?? 'config'}: probes.knownHosts '${settings.knownHosts}' with accept-new: ${outside}; spine-lint writes a known_hosts named by the repository only inside it (name the file with --known-hosts instead)`,
        );
    }
    executor = new LiveExecutor({
      allow,
      commands: remoteCommands,
      concurrency,
      sshConcurrency,
      retries,
      timeoutMs: timeoutSec === undefined ? undefined : Math.round(timeoutSec * 1000),
      identity: rel(values.identity) ?? (settings.identity ? resolve(s.root, settings.identity) : undefined),
      knownHostsFile: rel(values['known-hosts']) ?? (settings.knownHosts ? resolve(s.root, settings.knownHosts) : undefined),
      knownHostsInsideRoot: knownHostsFromConfig ? s.root : undefined,
      acceptNew,
      agent: io.env.SSH_AUTH_SOCK,
    });
  }

  // Progress on a TTY only (stderr), nothing extra otherwise.
  let progressShown = false;
  const onProgress = io.stderrIsTTY
    ? (p: ProbeProgress): void => {
        progressShown = true;
        io.stderr(`\rprobing ${p.done}/${p.total}${p.failed ? `, ${p.failed} failed` : ''}\x1b[K`);
      }
    : undefined;
  const report = await executeLivePlan(plan, executor, onProgress);
  if (progressShown) io.stderr('\r\x1b[K');
  if (values.record) writeRecording(resolve(io.cwd, values.record), report.observations, now ?? new Date());

  const text = format === 'prometheus' ? prometheusTextfile(report, now ?? new Date()) : reporterFor(format)!(report, reporterContextFor(s, values, io, { sarifCategory: PROBE_SARIF_CATEGORY }));
  if (values.output) {
    // Atomic for the node_exporter textfile collector: an exclusive temporary file with an
    // unpredictable name, renamed over the target (a link at the target is refused, not followed).
    writeFileAtomic(resolve(io.cwd, values.output), text, { devices: true, label: values.output });
  } else io.stdout(text);
  return exitCodeFor(values.quiet ? { errors: report.summary.errors, warnings: 0 } : report.summary, maxWarnings);
}
