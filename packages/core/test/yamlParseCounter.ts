import { createRequire } from 'node:module';

/**
 * Counts the `yaml` package's positioned parses (`parseAllDocuments`), to see when the core builds
 * one. The core loads the `yaml` package (CommonJS) with require at first use, so the count wraps
 * the export there; the module cache makes the wrapper the one the core calls. Import once per test file.
 */
export const yamlParses = { count: 0 };

const yamlExports = createRequire(import.meta.url)('yaml') as { parseAllDocuments: typeof import('yaml').parseAllDocuments };
const originalParse = yamlExports.parseAllDocuments;
yamlExports.parseAllDocuments = ((...args: Parameters<typeof originalParse>) => {
  yamlParses.count++;
  return originalParse(...args);
}) as typeof originalParse;
