// ESLint flat config: typescript-eslint's recommended rules (not type-aware: the whole lint stays a
// few seconds on two cores), Prettier owns the layout (.prettierrc.json; `npm run lint` checks both).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', 'test/fixtures/**', 'test/support/registry/**', 'examples/**', 'coverage/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-constant-condition': ['error', { checkLoops: 'allExceptWhileTrue' }],
      'no-var': 'error',
      'prefer-const': 'error',
      // Lines: Prettier wraps code at 200; a long message template or URL stays one literal (messages are compared byte for byte).
      'max-len': ['error', { code: 200, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: false, ignoreComments: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Off, on purpose: `!` after a lookup the code has just checked is the house style (noUncheckedIndexedAccess is on).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // The engine's JSON values and the plugin loader are `unknown` first; the few `any`s are at library seams.
      '@typescript-eslint/no-explicit-any': 'warn',
      // Off: matching control characters is what the terminal and Markdown escapes are for.
      'no-control-regex': 'off',
    },
  },
  {
    // Library and CLI code prints nothing by itself: the CLI writes through its io layer (CliIo in
    // packages/cli/src/io.ts, injected so tests run the CLI in-process), the servers through their transports.
    files: ['packages/*/src/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'stdout', message: "Write through the CLI's io layer (CliIo, packages/cli/src/io.ts)." },
        { object: 'process', property: 'stderr', message: "Write through the CLI's io layer (CliIo, packages/cli/src/io.ts)." },
      ],
    },
  },
  {
    // The io layer itself, bin.cts's last-resort error before there is one, and the runner's SPINE_LINT_TIMING lines on stderr.
    files: ['packages/cli/src/io.ts', 'packages/cli/src/bin.cts', 'packages/core/src/runner.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The CommonJS entry and fast path load before the ES module loader; `require` is their point.
    files: ['**/*.cts', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests and benchmarks: throwaway callbacks and expressions are fine.
    files: ['test/**', 'packages/*/test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-require-imports': 'off', 'no-regex-spaces': 'off', 'no-loss-of-precision': 'off', 'max-len': 'off' },
  },
);
