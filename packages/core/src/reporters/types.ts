import type { Report } from '../runner.js';

export interface ReporterContext {
  /** Colour output (stylish only); true only on a TTY unless forced. */
  color: boolean;
  /** Current working directory (the root is resolved from it when `root` is not given). */
  cwd: string;
  /**
   * Root of the checked workspace relative to cwd ('' when they are the same). No reporter of
   * `check` prefixes paths with it any more (every format names files from the root, see
   * docs/formats.md "Paths"); `root` defaults to `cwd` + this.
   */
  rootPrefix: string;
  /** The root of the checked workspace, absolute: the one base of every file path in a report. */
  root?: string;
  /**
   * The repository checkout a code host reads paths from (`GITHUB_WORKSPACE`, `CI_PROJECT_DIR`),
   * absolute, given only when it contains the root (see {@link ciCheckoutFor}). The formats a code
   * host places on files (`github`, `sarif`, `gitlab`) then name files from it: a spine in a
   * subdirectory of the repository still lands on the right file.
   */
  checkout?: string;
  /** Tool version, for SARIF. */
  version: string;
  /** Only errors (`--quiet`). */
  quiet?: boolean;
  /**
   * `--max-warnings N`: JUnit reports warnings as failures when they make the run fail (more than
   * N warnings), as passing cases otherwise.
   */
  maxWarnings?: number;
  /** SARIF `runs[].automationDetails.id` (`--sarif-category`; default `spine-lint/`). */
  sarifCategory?: string;
}

/** A reporter is a pure function from a report to text. */
export type Reporter = (report: Report, context: ReporterContext) => string;
