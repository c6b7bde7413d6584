import { trimEndChar } from '../text.js';
import type { CommandName } from './types.js';

/** Quote a value for a POSIX shell: `'…'` with embedded quotes as `'\''`. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** Validates one interpolated argument: an error message, or undefined when the value is safe. */
export type Validator = (value: string) => string | undefined;

const VMID: Validator = (v) => (/^[0-9]{1,9}$/.test(v) ? undefined : `vmid must be digits only (got ${JSON.stringify(v)})`);
const SAFE_PATH: Validator = (v) => {
  if (!v.startsWith('/')) return `path must be absolute (got ${JSON.stringify(v)})`;
  if (!/^[A-Za-z0-9._/@+-]+$/.test(v)) return `path may contain only letters, digits and . _ / @ + - (got ${JSON.stringify(v)})`;
  if (v.split('/').includes('..')) return `path must not contain '..' (got ${JSON.stringify(v)})`;
  return undefined;
};
const SAFE_GLOB: Validator = (v) => {
  if (v === '' || v.startsWith('-') || v.startsWith('/')) return `glob must be non-empty, relative and must not start with '-' (got ${JSON.stringify(v)})`;
  if (!/^[A-Za-z0-9._*?@+\[\]\/-]+$/.test(v)) return `glob may contain only letters, digits and . _ * ? @ + - [ ] / (got ${JSON.stringify(v)})`;
  if (v.split('/').some((s) => s === '..' || s === '')) return `glob must not contain '..' or empty segments (got ${JSON.stringify(v)})`;
  return undefined;
};
const UNIT: Validator = (v) => (['cron', 'crond', 'qemu-guest-agent'].includes(v) ? undefined : `unit must be one of cron, crond, qemu-guest-agent (got ${JSON.stringify(v)})`);

export interface CommandSpec {
  /** What it does, for docs and `--dry-run`. */
  description: string;
  args: Readonly<Record<string, Validator>>;
  build(args: Readonly<Record<string, string>>): string;
}

/**
 * The fixed, read-only allowlist. Nothing else is ever sent to a host; every argument is
 * validated and then quoted, so a binding value cannot become shell syntax.
 */
export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  reachability: { description: 'reachability: run `true`', args: {}, build: () => 'true' },
  'qm-status': { description: 'Proxmox VM state', args: { vmid: VMID }, build: (a) => `qm status ${shellQuote(a.vmid!)}` },
  'qm-agent-ping': { description: 'QEMU guest agent ping', args: { vmid: VMID }, build: (a) => `qm agent ${shellQuote(a.vmid!)} ping` },
  'qm-guest-network-interfaces': {
    description: 'guest network interfaces through the QEMU agent',
    args: { vmid: VMID },
    build: (a) => `qm guest cmd ${shellQuote(a.vmid!)} network-get-interfaces`,
  },
  'tailscale-status': { description: 'Tailscale state', args: {}, build: () => 'tailscale status --json' },
  'systemctl-is-active': { description: 'is a unit active', args: { unit: UNIT }, build: (a) => `systemctl is-active ${shellQuote(a.unit!)}` },
  'docker-compose-ls': { description: 'compose projects on the host', args: {}, build: () => 'docker compose ls --all --format json' },
  'newest-file': {
    description: 'newest file matching a glob in a directory (mtime epoch and path)',
    args: { dir: SAFE_PATH, glob: SAFE_GLOB },
    build: (a) => {
      // `glob` is relative to `dir` and may name subdirectories (`*/manifest.txt`), as `cd DIR; ls -1t -- GLOB` did.
      const base = a.dir!.length > 1 ? trimEndChar(a.dir!, '/') : a.dir!;
      const dir = shellQuote(base);
      const depth = a.glob!.split('/').length;
      const path = shellQuote(`${base === '/' ? '' : base}/${a.glob!}`);
      return `if [ -d ${dir} ]; then find ${dir} -mindepth ${depth} -maxdepth ${depth} -type f -path ${path} -printf '%T@ %p\\n' | sort -n | tail -n 1; else echo 'no such directory' >&2; exit 3; fi`;
    },
  },
};

export type BuiltCommand = { ok: true; commandLine: string } | { ok: false; error: string };

/** Validate a command against the allowlist and its arguments; return the exact line to run. */
export function buildCommand(name: string, args: Readonly<Record<string, string>>): BuiltCommand {
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) return { ok: false, error: `command '${name}' is not in the read-only allowlist (${Object.keys(COMMANDS).join(', ')})` };
  const spec = COMMANDS[name as CommandName];
  for (const key of Object.keys(args)) {
    if (!(key in spec.args)) return { ok: false, error: `command '${name}' takes no argument '${key}'` };
  }
  for (const [key, validate] of Object.entries(spec.args)) {
    const value = args[key];
    if (typeof value !== 'string') return { ok: false, error: `command '${name}' needs argument '${key}'` };
    const problem = validate(value);
    if (problem) return { ok: false, error: `command '${name}': ${problem}` };
  }
  return { ok: true, commandLine: spec.build(args) };
}
