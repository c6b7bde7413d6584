import MarkdownIt from 'markdown-it';
import { describe, expect, test } from 'vitest';
import { escapeTerminal, escapeWorkflowData, escapeWorkflowProperty, githubReporter, githubStepSummary, MemorySource, reporters, runCheckOnFiles, runChecks, Workspace } from '@spine-lint/core';
import { ctx, expectGolden, groupedReport, hostCheck, normalise, sampleReport, serviceCheck } from './support.js';

interface Command {
  name: string;
  props: Record<string, string>;
  data: string;
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/**
 * Read a log the way the Actions runner does (actions/runner `ActionCommand.TryParseV2`): a line
 * that starts with `::` is a command; its header ends at the next `::`; properties are split on `,`
 * and each at its first `=`; then values are unescaped.
 */
function commandsOf(log: string): { commands: Command[]; plain: string[] } {
  const commands: Command[] = [];
  const plain: string[] = [];
  for (const line of log.split(/\r?\n|\r/)) {
    if (!line.startsWith('::')) {
      if (line !== '') plain.push(line);
      continue;
    }
    const end = line.indexOf('::', 2);
    expect(end, `malformed command line: ${line}`).toBeGreaterThan(1);
    const header = line.slice(2, end);
    const space = header.indexOf(' ');
    const name = space < 0 ? header : header.slice(0, space);
    const props: Record<string, string> = {};
    if (space >= 0) {
      for (const pair of header.slice(space + 1).split(',')) {
        const eq = pair.indexOf('=');
        props[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
      }
    }
    commands.push({ name, props, data: unescapeData(line.slice(end + 2)) });
  }
  return { commands, plain };
}

describe('github reporter', () => {
  test('is registered as --format github', () => {
    expect(reporters.github).toBe(githubReporter);
  });

  test('golden output (annotations and step summary)', () => {
    const report = sampleReport();
    expectGolden('github.txt', githubReporter(report, ctx()));
    expectGolden('github-summary.md', githubStepSummary(report, ctx()));
  });

  test('one annotation per finding, errors first, columns only on single-line ranges', () => {
    // The file is named from the checkout (GITHUB_WORKSPACE) when it contains the root.
    const { commands, plain } = commandsOf(githubReporter(sampleReport(), ctx({ rootPrefix: '../elsewhere/', root: '/ws/infra', checkout: '/ws' })));
    expect(commands.map((c) => c.name)).toEqual(['error', 'error', 'error', 'warning', 'warning']);
    expect(commands[1]!.props).toEqual({ file: 'infra/services.yaml', line: '3', endLine: '3', col: '11', endColumn: '13', title: 'service-host (D99)' });
    // Multi-line range: no col/endColumn.
    const multi = commands.find((c) => c.name === 'warning' && c.props.line === '5')!;
    expect(multi.props).toEqual({ file: 'infra/services.yaml', line: '5', endLine: '7', title: 'service-host (D99)' });
    expect(multi.data).toBe("service 'grafana' lists ports over several lines\nFix: Add `host:` to the service.\nDocs: https://github.com/spine-lint/spine-lint/blob/main/docs/checks/service-host.md");
    // Run-level finding: no file.
    expect(commands[0]!.props).toEqual({ title: 'service-host (D99)' });
    expect(plain).toEqual(['spine-lint: 3 errors, 2 warnings (1 check, 2 files)']);
  });

  test('paths: from the checkout that contains the root, else from the root (never from the working directory)', () => {
    const files = (over: Parameters<typeof ctx>[0]): string[] => commandsOf(githubReporter(sampleReport(), ctx(over))).commands.flatMap((c) => (c.props.file ? [c.props.file] : []));
    expect(new Set(files({ root: '/ws/a/spine', checkout: '/ws' }))).toEqual(new Set(['a/spine/services.yaml', 'a/spine/REGISTRY.md']));
    expect(new Set(files({ root: '/ws', checkout: '/ws' }))).toEqual(new Set(['services.yaml', 'REGISTRY.md']));
    // No checkout, or one that does not contain the root: the root-relative path.
    expect(new Set(files({ rootPrefix: 'sub/' }))).toEqual(new Set(['services.yaml', 'REGISTRY.md']));
    expect(new Set(files({ root: '/elsewhere/spine', checkout: '/ws' }))).toEqual(new Set(['services.yaml', 'REGISTRY.md']));
  });

  test('names with %, CR, LF, :: and commas cannot inject or alter workflow commands', () => {
    const hostileFile = 'dir,x/odd:file%0A::warning::y.yaml';
    const report = sampleReport('%0A::error::boom\r\n::warning file=x::y', { [hostileFile]: 'odd: 1\n' });
    const log = githubReporter(report, ctx());
    const { commands, plain } = commandsOf(log);
    // Exactly one command per finding, and no other command: the text inside stayed data.
    expect(commands).toHaveLength(report.results.length);
    expect(commands.map((c) => c.name).sort()).toEqual(['error', 'error', 'error', 'error', 'warning', 'warning']);
    expect(plain).toHaveLength(1);
    // What the runner decodes is exactly what was reported (terminal controls shown escaped).
    const odd = commands.find((c) => c.props.file === hostileFile);
    expect(odd, log).toBeDefined();
    const run = commands.find((c) => c.props.file === undefined)!;
    expect(run.data.split('\n')[0]).toBe('run-level note: %0A::error::boom\\x0d\\n::warning file=x::y');
    const evil = commands.find((c) => c.props.line === '10')!;
    expect(evil.data.split('\n')[0]).toBe(escapeTerminal("service 'evil%0A::error::x,y:z\u001b[31m\r\n::warning file=a::injected' has no host"));
    // No raw control character reaches the log.
    expect(/[\u0000-\u0009\u000b-\u001f\u007f]/.test(log)).toBe(false);
  });

  test('at most 10 annotations per level, then a notice; the step summary lists everything', () => {
    const services =
      Array.from({ length: 25 }, (_, i) => `  s${i}:\n    host: ""\n`).join('') + Array.from({ length: 12 }, (_, i) => `  w${i}:\n    host: h\n    ports:\n      - 1\n      - 2\n`).join('');
    const report = normalise(runCheckOnFiles(serviceCheck, { files: { 'services.yaml': `services:\n${services}` } }));
    expect(report.summary).toMatchObject({ errors: 25, warnings: 12 });
    const { commands } = commandsOf(githubReporter(report, ctx()));
    expect(commands.filter((c) => c.name === 'error')).toHaveLength(10);
    expect(commands.filter((c) => c.name === 'warning')).toHaveLength(10);
    const notices = commands.filter((c) => c.name === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.data).toMatch(/^17 more findings not annotated \(15 errors, 2 warnings\)/);
    expect(notices[0]!.data).toContain('step summary');
    const summary = githubStepSummary(report, ctx());
    expect(summary.split('\n').filter((l) => l.startsWith('| error ') || l.startsWith('| warning '))).toHaveLength(37);
    // quiet: errors only
    const quiet = commandsOf(githubReporter(report, ctx({ quiet: true }))).commands;
    expect(quiet.filter((c) => c.name === 'warning')).toHaveLength(0);
    expect(quiet.find((c) => c.name === 'notice')!.data).toMatch(/^15 more findings not annotated \(15 errors\)/);
  });

  test('findings of several checks on the same value: one annotation naming every check, at the highest severity (golden)', () => {
    const report = groupedReport();
    const log = githubReporter(report, ctx());
    expectGolden('github-grouped.txt', log);
    expectGolden('github-grouped-summary.md', githubStepSummary(report, ctx()));
    const { commands, plain } = commandsOf(log);
    expect(commands.map((c) => `${c.name} ${c.props.line} ${c.props.title}`)).toEqual([
      'error 3 host-parity (D97), host-placement (D96, placement), host-style',
      'error 6 host-parity (D97)',
      'warning 8 host-style',
      'warning 10 host-placement (D96, placement), host-style',
    ]);
    // Every check's verdict, fix and docs link, in turn; a lower severity is said.
    expect(commands[0]!.data.split('\n\n')).toEqual([
      "host-parity (D97): service 'grafana' registry host 'docker-host' != manifest 'observability'\nFix: Fix for host-parity.\nDocs: https://github.com/spine-lint/spine-lint/blob/main/docs/checks/host-parity.md",
      "host-placement (D96, placement): placement: host 'docker-host' is draining\nFix: Fix for host-placement.\nDocs: https://github.com/spine-lint/spine-lint/blob/main/docs/checks/host-placement.md",
      "host-style [warning]: host 'docker-host' has no site suffix\nFix: Fix for host-style.\nDocs: https://github.com/spine-lint/spine-lint/blob/main/docs/checks/host-style.md",
    ]);
    // A group of one is a plain annotation (no check prefix).
    expect(commands[1]!.data.split('\n')[0]).toBe("service 'loki' registry host 'old_host' != manifest 'observability'");
    // Hostile text in a grouped message stays data.
    expect(commands[3]!.data.split('\n')[0]).toBe(escapeTerminal("host-placement (D96, placement): placement: host 'a,b:c%0A::error::x' is unknown\r\n::warning::x"));
    expect(plain).toEqual(['spine-lint: 3 errors, 4 warnings at 4 locations, 1 suppressed (3 checks, 1 file)']);
    // The step summary: one row per location too, every check linked.
    const rows = githubStepSummary(report, ctx())
      .split('\n')
      .filter((l) => /^\| (error|warning) \|/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('| hosts.yaml:3:11 | host-parity: service ');
    expect(rows[0]!.match(/\]\(https:/g)).toHaveLength(3);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  test('the per-level limit counts annotations (locations); the notice counts the findings left out', () => {
    const services = Array.from({ length: 12 }, (_, i) => `  s${i}:\n    host: h${i}\n`).join('');
    // Two checks, each with an error on every one of 12 hosts: 24 findings at 12 locations.
    const checks = ['a', 'b'].map((c) =>
      hostCheck(
        `host-${c}`,
        [],
        'error',
        Array.from({ length: 12 }, (_, i): [string, string] => [`s${i}`, `${c}${i}`]),
      ),
    );
    const report = normalise(runChecks({ workspace: new Workspace(new MemorySource({ 'hosts.yaml': `services:\n${services}` })), checks, now: new Date('2026-03-05T00:00:00Z'), kinds: ['static'] }));
    expect(report.results).toHaveLength(24);
    const { commands, plain } = commandsOf(githubReporter(report, ctx()));
    expect(commands.filter((c) => c.name === 'error')).toHaveLength(10);
    expect(commands.find((c) => c.name === 'notice')!.data).toMatch(/^4 more findings not annotated \(4 errors\)/);
    expect(plain).toEqual(['spine-lint: 24 errors, 0 warnings at 12 locations (2 checks, 1 file)']);
  });

  test('step summary cells cannot break the table or inject HTML/links', () => {
    const summary = githubStepSummary(sampleReport('a | b <img src=x> [l](http://e) `c`\r\nnext'), ctx());
    const row = summary.split('\n').find((l) => l.includes('run-level note'))!;
    expect(row).toBe(
      '| error | [service-host \\(D99\\)](https://github.com/spine-lint/spine-lint/blob/main/docs/checks/service-host.md) | (run) | run-level note: a \\| b &lt;img src=x&gt; \\[l\\]\\(http&#58;//e\\) \\`c\\` next |',
    );
    // Exactly four cells: the escaped pipe did not open a fifth.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  test('step summary cells cannot become autolinks: bare http://, https://, ftp://, www., mailto:, xmpp: and user@host stay text (rendered by a GFM linkifier)', () => {
    const text = 'see http://169.254.169.254/latest https://e.example/x ftp://f.example WWW.w.example www.x.example mailto:a@b.example xmpp:c@d.example ops@e.example, at 12:30';
    const summary = githubStepSummary(sampleReport(text), ctx());
    const row = summary.split('\n').find((l) => l.includes('run-level note'))!;
    const html = new MarkdownIt({ linkify: true }).render(summary);
    // The one link is the check's page; the message renders as the same text, unlinked.
    expect(new Set([...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]))).toEqual(new Set(['https://github.com/spine-lint/spine-lint/blob/main/docs/checks/service-host.md']));
    expect(html).toContain(`run-level note: ${text.replace(/@/g, '@')}`);
    // Times and positions keep their colons; only the characters autolinking starts from are references.
    expect(row).toContain('at 12:30');
    // Without the escaping the same linkifier would have made links of it (the test can fail).
    expect(new MarkdownIt({ linkify: true }).render(`| a |\n| --- |\n| ${text} |\n`).match(/<a href=/g)!.length).toBeGreaterThanOrEqual(4);
  });

  test('escape helpers follow actions/toolkit', () => {
    expect(escapeWorkflowData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeWorkflowProperty('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext%3A a%2Cb');
  });
});
