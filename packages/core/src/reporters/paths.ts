import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ReporterContext } from './types.js';

/**
 * Where report paths start (docs/formats.md "Paths"): every format names a finding's file from the
 * root of the checked spine (`Diagnostic.file` is root-relative), whatever the working directory.
 * The formats a code host places on files (`github` annotations, `sarif`, `gitlab`) name it from the
 * host's checkout when one is known and contains the root (a spine in a subdirectory of the
 * repository): {@link checkoutPrefix}.
 */

/** The absolute root of a report. */
export const rootOf = (ctx: ReporterContext): string => ctx.root ?? resolve(ctx.cwd, ctx.rootPrefix || '.');

const posix = (path: string): string => path.split(sep).join('/');

/**
 * The root's place in the checkout (`infra/spine/`, '' when the root is the checkout or no checkout
 * is known): what the code-host formats put before a root-relative path.
 */
export function checkoutPrefix(ctx: ReporterContext): string {
  if (!ctx.checkout) return '';
  const rel = relative(ctx.checkout, rootOf(ctx));
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return '';
  return posix(rel) + '/';
}

/** The directory the code-host formats' paths are relative to: the checkout when it contains the root, else the root. */
export const checkoutBase = (ctx: ReporterContext): string => (checkoutPrefix(ctx) === '' ? rootOf(ctx) : ctx.checkout!);

/**
 * The code host's checkout for a run: `GITHUB_WORKSPACE` (GitHub Actions), else `CI_PROJECT_DIR`
 * (GitLab CI), when it is absolute and the root is inside it (or is it); otherwise undefined, and
 * every format names files from the root.
 */
export function ciCheckoutFor(root: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const dir of [env.GITHUB_WORKSPACE, env.CI_PROJECT_DIR]) {
    if (!dir || !isAbsolute(dir)) continue;
    const rel = relative(dir, root);
    if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) return resolve(dir);
    return undefined;
  }
  return undefined;
}
