import type { Report } from '../runner.js';

export interface ReporterContext {
  /** Colour output (stylish only); true only on a TTY unless forced. */
  color: boolean;
  /** Current working directory, for relative paths. */
  cwd: string;
  /** Root of the checked workspace relative to cwd ('' when they are the same). */
  rootPrefix: string;
  /** Tool version, for SARIF. */
  version: string;
  /** Only errors (`--quiet`). */
  quiet?: boolean;
}

/** A reporter is a pure function from a report to text. */
export type Reporter = (report: Report, context: ReporterContext) => string;
