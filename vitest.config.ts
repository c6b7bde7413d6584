import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * The files that run a minute or more on 2 cores (they wait on npm, pre-commit, git, a registry),
 * longest first. On a clean clone vitest has no timings and starts the largest files first; these
 * are small files, and one started last kept a worker busy after the other had finished.
 */
const LONG_RUNNING = ['test/distribution.test.ts', 'test/precommit.test.ts', 'test/action.test.ts', 'test/staged-fast-path.test.ts', 'test/ci-reports.test.ts', 'test/staged-new-only.test.ts'];

class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = LONG_RUNNING.findIndex((name) => f.moduleId.replace(/\\/g, '/').endsWith(`/${name}`));
      return i === -1 ? LONG_RUNNING.length : i;
    };
    // Stable: the rest keep vitest's order (recorded durations, else file size).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // The CLI's entry and pre-commit fast path are CommonJS TypeScript (`.cts`): transform them too.
  oxc: { include: /\.(m|c)?tsx?$/ },
  resolve: {
    // Unit tests run against the sources; end-to-end tests spawn the built CLI.
    // Exact matches: a subpath export (`@spine-lint/core/recording-source`) maps to its own module.
    alias: [
      { find: /^@spine-lint\/core$/, replacement: src('core') },
      { find: /^@spine-lint\/core\/recording-source$/, replacement: fileURLToPath(new URL('./packages/core/src/workspace/recordingSource.ts', import.meta.url)) },
      { find: /^@spine-lint\/core\/safe-fs$/, replacement: fileURLToPath(new URL('./packages/core/src/safeFs.ts', import.meta.url)) },
      { find: /^@spine-lint\/core\/decide$/, replacement: fileURLToPath(new URL('./packages/core/src/decide.cts', import.meta.url)) },
      { find: /^@spine-lint\/checks$/, replacement: src('checks') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Every worker and every node process a test spawns refuses non-loopback connections and DNS.
    setupFiles: ['test/support/loopback-setup.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most long files
    // wait on child processes (npm, git, pre-commit, sshd), so two workers keep both cores busy.
    maxWorkers: 2,
    sequence: { sequencer: LongRunningFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
