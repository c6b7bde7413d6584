/**
 * The spine's remote commands: the fixed, read-only allowlist of what the live checks may run on a
 * host over SSH (Proxmox `qm`, Tailscale, systemd units, `docker compose`, a `find` for backups).
 * Nothing else is ever sent: `spine-lint probe` gives this table to the executor, which refuses a
 * probe naming any other command before anything connects. Every argument is validated here and
 * then single-quoted by the core's `buildCommand`, so a binding value cannot become shell syntax.
 */
import { defineCommands, trimEndChar, type Validator } from '@spine-lint/core';

const VMID: Validator = (v) => (/^[0-9]{1,9}$/.test(v) ? undefined : `vmid must be digits only (got ${JSON.stringify(v)})`);
const SAFE_PATH: Validator = (v) => {
  if (!v.startsWith('/')) return `path must be absolute (got ${JSON.stringify(v)})`;
  if (!/^[A-Za-z0-9._/@+-]+$/.test(v)) return `path may contain only letters, digits and . _ / @ + - (got ${JSON.stringify(v)})`;
  if (v.split('/').includes('..')) return `path must not contain '..' (got ${JSON.stringify(v)})`;
  return undefined;
};
const SAFE_GLOB: Validator = (v) => {
  if (v === '' || v.startsWith('-') || v.startsWith('/')) return `glob must be non-empty, relative and must not start with '-' (got ${JSON.stringify(v)})`;
  if (!/^[A-Za-z0-9._*?@+[\]/-]+$/.test(v)) return `glob may contain only letters, digits and . _ * ? @ + - [ ] / (got ${JSON.stringify(v)})`;
  if (v.split('/').some((s) => s === '..' || s === '')) return `glob must not contain '..' or empty segments (got ${JSON.stringify(v)})`;
  return undefined;
};
const UNIT: Validator = (v) => (['cron', 'crond', 'qemu-guest-agent'].includes(v) ? undefined : `unit must be one of cron, crond, qemu-guest-agent (got ${JSON.stringify(v)})`);

/** `dir` without its trailing slash (`/` stays `/`). */
const baseDir = (dir: string): string => (dir.length > 1 ? trimEndChar(dir, '/') : dir);

/** The spine's read-only remote commands (frozen): name → template and argument validators. */
export const remoteCommands = defineCommands({
  reachability: { description: 'reachability: run `true`', args: {}, template: 'true' },
  'qm-status': { description: 'Proxmox VM state', args: { vmid: VMID }, template: 'qm status {vmid}' },
  'qm-agent-ping': { description: 'QEMU guest agent ping', args: { vmid: VMID }, template: 'qm agent {vmid} ping' },
  'qm-guest-network-interfaces': { description: 'guest network interfaces through the QEMU agent', args: { vmid: VMID }, template: 'qm guest cmd {vmid} network-get-interfaces' },
  'tailscale-status': { description: 'Tailscale state', args: {}, template: 'tailscale status --json' },
  'systemctl-is-active': { description: 'is a unit active', args: { unit: UNIT }, template: 'systemctl is-active {unit}' },
  'docker-compose-ls': { description: 'compose projects on the host', args: {}, template: 'docker compose ls --all --format json' },
  'newest-file': {
    description: 'newest file matching a glob in a directory (mtime epoch and path)',
    args: { dir: SAFE_PATH, glob: SAFE_GLOB },
    // `glob` is relative to `dir` and may name subdirectories (`*/manifest.txt`), as `cd DIR; ls -1t -- GLOB` did.
    template:
      "if [ -d {base} ]; then find {base} -mindepth {depth:int} -maxdepth {depth:int} -type f -path {path} -printf '%T@ %p\\n' | sort -n | tail -n 1; else echo 'no such directory' >&2; exit 3; fi",
    derive: {
      base: (a) => baseDir(a.dir!),
      depth: (a) => String(a.glob!.split('/').length),
      path: (a) => `${baseDir(a.dir!) === '/' ? '' : baseDir(a.dir!)}/${a.glob!}`,
    },
  },
});

/** The name of a spine remote command. */
export type CommandName = keyof typeof remoteCommands;
