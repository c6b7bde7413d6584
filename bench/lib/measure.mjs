// Timing and memory helpers shared by the benchmarks.
//
// Design: the machine this runs on may be shared and loaded, so every comparison is made between
// commands measured in the SAME run, interleaved round by round (A B C, A B C, ...), and summarised
// by the median. Load that drifts during the run then hits every command alike, and the ratios the
// targets are written in stay meaningful even when the absolute numbers are noisy.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarise(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: median(s), min: s[0], max: s[s.length - 1], n: s.length, samples };
}

/**
 * Run a command once (asynchronously, so servers living in this process keep answering) and
 * return its wall time (ms), peak RSS (MB, from /usr/bin/time -f %M when available), exit code,
 * stdout and stderr. `timeoutMs` kills a run that hangs.
 */
export function runOnce(cmd, args, { cwd, env, timeoutMs = 300_000, input } = {}) {
  return new Promise((resolvePromise) => {
    let rssFile;
    let file = cmd;
    let argv = args;
    if (TIME_BIN) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
      rssFile = join(dir, 'rss');
      file = TIME_BIN;
      argv = ['-f', '%M', '-o', rssFile, cmd, ...args];
    }
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ wallMs: NaN, rssMb: NaN, code: -1, stdout: '', stderr: String(error), timedOut });
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      let rssMb = NaN;
      if (rssFile) {
        try {
          const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
          rssMb = Number(lines[lines.length - 1]) / 1024;
        } catch {
          // no RSS sample: the field stays empty
        }
        rmSync(join(rssFile, '..'), { recursive: true, force: true });
      }
      let stderr = Buffer.concat(err).toString('utf8');
      if (TIME_BIN) stderr = stderr.replace(/^Command exited with non-zero status \d+\n?/m, '');
      resolvePromise({ wallMs, rssMb, code: signal ? -1 : code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * Measure several commands interleaved: `warmup` unrecorded rounds, then `runs` recorded rounds,
 * each round running every command once in turn. Returns per command {wall, rss, codes, last}.
 * `accept(code)` says which exit codes mean "ran correctly" (default 0); a run with another code
 * is recorded as an error and its output kept for the report.
 */
export async function interleaved(commands, { runs = 5, warmup = 1 } = {}) {
  const res = Object.fromEntries(commands.map((c) => [c.name, { wall: [], rss: [], codes: [], errors: [] }]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const c of commands) {
      const r = await runOnce(c.cmd, c.args, c.opts);
      const ok = (c.accept ?? ((code) => code === 0))(r.code);
      const slot = res[c.name];
      slot.last = r;
      if (!ok) slot.errors.push({ code: r.code, stderr: r.stderr.slice(0, 2000), stdout: r.stdout.slice(0, 500) });
      if (round >= warmup) {
        slot.wall.push(r.wallMs);
        if (!Number.isNaN(r.rssMb)) slot.rss.push(r.rssMb);
        slot.codes.push(r.code);
      }
    }
  }
  return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { wall: summarise(v.wall), rss: v.rss.length ? summarise(v.rss) : undefined, codes: v.codes, errors: v.errors, last: v.last }]));
}

/** hyperfine, when installed (or installable through apt as root): a second opinion on cold-process timings. */
export function ensureHyperfine({ install = true, log = () => {} } = {}) {
  const has = () => spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  if (!install || typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return false;
  log('hyperfine missing: trying apt-get install -y hyperfine');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', 'hyperfine'], { stdio: 'ignore', env, timeout: 120_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env, timeout: 120_000 });
    r = spawnSync('apt-get', ['install', '-y', '-q', 'hyperfine'], { stdio: 'ignore', env, timeout: 120_000 });
  }
  return has();
}

/** Run hyperfine over shell-free commands; returns {name: {median, mean, stddev, min, max}} in ms, or undefined. */
export function hyperfine(commands, { runs = 5, warmup = 1 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-hf-'));
  const out = join(dir, 'hf.json');
  const args = ['--style', 'none', '-N', '--warmup', String(warmup), '--runs', String(runs), '--ignore-failure', '--export-json', out];
  for (const c of commands) args.push('-n', c.name, [c.cmd, ...c.args].map(shellQuote).join(' '));
  const r = spawnSync('hyperfine', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000, cwd: commands[0]?.opts?.cwd });
  try {
    if (r.status !== 0) return undefined;
    const json = JSON.parse(readFileSync(out, 'utf8'));
    return Object.fromEntries(json.results.map((x) => [x.command, { median: x.median * 1000, mean: x.mean * 1000, stddev: (x.stddev ?? 0) * 1000, min: x.min * 1000, max: x.max * 1000 }]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}

export const fmtMs = (ms) => (Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`) : 'n/a');
export const fmtMb = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a');
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');
