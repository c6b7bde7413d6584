import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  defineCommands,
  formatPlan,
  LiveExecutor,
  MemorySource,
  NO_COMMANDS,
  planLiveChecks,
  defineCheck,
  Workspace,
  type KeyedProbe,
  type Lookup,
  type SshObservation,
  type SshProbe,
} from '@spine-lint/core';

// A table of the generic mechanism's own: the core knows no spine command.
const WORD = (v: string): string | undefined => (/^[a-z]+$/.test(v) ? undefined : `word must be lowercase letters (got ${JSON.stringify(v)})`);
const ANY = (): undefined => undefined;
const table = defineCommands({
  hello: { description: 'greet', args: { name: WORD }, template: 'echo hello {name}' },
  fixed: { description: 'no arguments', args: {}, template: 'uptime' },
  count: { description: 'a derived digit argument', args: { text: ANY }, template: 'head -n {lines:int} -- {text}', derive: { lines: (a) => String(a.text!.split(',').length) } },
  bare: { description: 'a digit placeholder fed by an argument', args: { n: ANY }, template: 'seq {n:int}' },
});

describe('command tables (the generic mechanism)', () => {
  it('substitutes each placeholder single-quoted, {name:int} bare digits; the rest of the template is sent as it is', () => {
    expect(buildCommand(table, 'hello', { name: 'world' })).toEqual({ ok: true, commandLine: "echo hello 'world'" });
    expect(buildCommand(table, 'fixed', {})).toEqual({ ok: true, commandLine: 'uptime' });
    expect(buildCommand(table, 'count', { text: "a,b,c'; reboot" })).toEqual({ ok: true, commandLine: `head -n 3 -- 'a,b,c'\\''; reboot'` });
    expect(buildCommand(table, 'bare', { n: '12' })).toEqual({ ok: true, commandLine: 'seq 12' });
  });

  it('a quoted value reaches the shell as one word, whatever it holds', () => {
    const nasty = `x'; touch /tmp/pwned; echo '$(id) \`id\` \\ "q"\n-n`;
    const built = buildCommand(defineCommands({ say: { description: 'print', args: { v: ANY }, template: 'printf %s {v}' } }), 'say', { v: nasty });
    expect(built.ok).toBe(true);
    expect(execFileSync('sh', ['-c', built.ok ? built.commandLine : 'false'], { encoding: 'utf8' })).toBe(nasty);
  });

  it('refuses: a name not in the table, a missing or extra argument, a refused value, a non-digit {name:int}', () => {
    expect(buildCommand(table, 'rm', {})).toEqual({ ok: false, error: "command 'rm' is not in the read-only allowlist (hello, fixed, count, bare)" });
    expect(buildCommand(table, 'hello', {})).toEqual({ ok: false, error: "command 'hello' needs argument 'name'" });
    expect(buildCommand(table, 'hello', { name: 'a', extra: 'b' })).toEqual({ ok: false, error: "command 'hello' takes no argument 'extra'" });
    expect(buildCommand(table, 'hello', { name: 'a b' })).toEqual({ ok: false, error: 'command \'hello\': word must be lowercase letters (got "a b")' });
    expect(buildCommand(table, 'bare', { n: '1; reboot' })).toEqual({ ok: false, error: 'command \'bare\': {n} must be digits (got "1; reboot")' });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(buildCommand(table, name, {}), name).toMatchObject({ ok: false });
    // An argument named like an Object.prototype member is not there unless given.
    expect(buildCommand(defineCommands({ t: { description: 'd', args: { constructor: ANY }, template: 'x {constructor}' } }), 't', {})).toEqual({
      ok: false,
      error: "command 't' needs argument 'constructor'",
    });
    expect(buildCommand(NO_COMMANDS, 'fixed', {})).toEqual({ ok: false, error: "command 'fixed' is not in the read-only allowlist (empty: no command table was given)" });
  });

  it('defineCommands checks the templates and freezes the table, spec by spec', () => {
    expect(() => defineCommands({ x: { description: 'd', args: {}, template: 'echo {nope}' } })).toThrow("command 'x': placeholder {nope} names no argument or derivation");
    expect(() => defineCommands({ x: { description: 'd', args: { a: ANY }, template: 'echo {a} {1..3}' } })).toThrow(/a brace of the template is not a placeholder/);
    expect(() => defineCommands({ Bad_Name: { description: 'd', args: {}, template: 'true' } })).toThrow(/kebab-case/);
    expect(Object.isFrozen(table) && Object.isFrozen(table.hello) && Object.isFrozen(table.hello.args) && Object.isFrozen(table.count.derive)).toBe(true);
    expect(Object.getPrototypeOf(table)).toBeNull();
    expect(() => ((table as Record<string, unknown>).rm = table.fixed)).toThrow(TypeError);
    expect(() => ((table.fixed as { template: string }).template = 'reboot')).toThrow(TypeError);
  });
});

describe('the executor runs only the commands of the table it was given', () => {
  const lookedUp: string[] = [];
  const lookup: Lookup = async (name) => {
    lookedUp.push(name);
    return ['127.0.0.1'];
  };
  const probe = (command: string, args: Record<string, string> = {}): KeyedProbe & SshProbe => ({
    kind: 'ssh',
    id: command,
    key: `t/${command}`,
    target: 'h',
    ssh: { id: 'h', host: 'h.test', port: 1, user: 'root' },
    command,
    args,
    connectTimeoutMs: 500,
    commandTimeoutMs: 500,
  });

  it('a probe naming a command not in the table is refused before any name lookup or connection', async () => {
    lookedUp.length = 0;
    const obs = (await new LiveExecutor({ commands: table, lookup }).execute([probe('rm', { path: '/' }), probe('hello', { name: 'a b' })])) as SshObservation[];
    expect(obs.map((o) => [o.outcome, o.attempts, o.error])).toEqual([
      ['refused-policy', 0, "refused before connecting: command 'rm' is not in the read-only allowlist (hello, fixed, count, bare)"],
      ['refused-policy', 0, 'refused before connecting: command \'hello\': word must be lowercase letters (got "a b")'],
    ]);
    expect(lookedUp).toEqual([]);
  });

  it('without a table, every SSH probe is refused', async () => {
    lookedUp.length = 0;
    const [o] = (await new LiveExecutor({ lookup }).execute([probe('fixed')])) as SshObservation[];
    expect(o).toMatchObject({ outcome: 'refused-policy', attempts: 0, error: "refused before connecting: command 'fixed' is not in the read-only allowlist (empty: no command table was given)" });
    expect(lookedUp).toEqual([]);
  });

  it('the executor keeps a frozen copy: changing the given object later adds nothing', async () => {
    lookedUp.length = 0;
    const mutable: Record<string, { description: string; args: Record<string, never>; template: string }> = { fixed: { description: 'd', args: {}, template: 'uptime' } };
    const executor = new LiveExecutor({ commands: mutable, lookup });
    mutable.reboot = { description: 'd', args: {}, template: 'reboot' };
    expect(Object.isFrozen(executor.commands)).toBe(true);
    const [o] = (await executor.execute([probe('reboot')])) as SshObservation[];
    expect(o).toMatchObject({ outcome: 'refused-policy', attempts: 0 });
    expect(lookedUp).toEqual([]);
  });

  it("--dry-run shows the command lines of the plan's table, and REFUSED for any other", () => {
    const check = defineCheck({
      id: 'cmds',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'live',
      reads: [],
      messages: { m: 'x' },
      plan: () => [probe('hello', { name: 'you' }), probe('rm')].map(({ key: _key, ...p }) => p),
      evaluate: () => undefined,
    });
    const workspace = new Workspace(new MemorySource({}));
    const text = formatPlan(planLiveChecks({ workspace, checks: [check], commands: table }));
    expect(text).toContain("$ echo hello 'you'  [cmds] timeout 500 ms");
    expect(text).toContain("REFUSED rm: command 'rm' is not in the read-only allowlist (hello, fixed, count, bare)  [cmds]");
    expect(formatPlan(planLiveChecks({ workspace, checks: [check] }))).toContain("REFUSED hello: command 'hello' is not in the read-only allowlist (empty: no command table was given)");
  });
});
