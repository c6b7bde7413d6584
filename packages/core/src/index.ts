/**
 * @spine-lint/core — the engine: a positioned workspace of bindings, the check API, the runner,
 * suppressions, config and reporters. It knows nothing about any particular spine.
 * @packageDocumentation
 */
export * from './diagnostic.js';
export * from './pointer.js';
export * from './fingerprint.js';
export { REDACTED, redactCredentials, redactUrl, redactData } from './redact.js';
export { isSpaceCode, isLineTerminatorCode, hasLineTerminator, skipSpaces, trimEndIndex, trimEndChar, editDistance, didYouMean } from './text.js';
export { boundedRegExp, MAX_PATTERN_LENGTH, MAX_REPEAT, MAX_PATHS, type BoundedRegExp } from './boundedRegExp.js';
export * from './check.js';
export { validateCheckOptions, checkOptionsProblems, closedOptionsSchema, optionDocs, optionsTable, schemaTypeText, type OptionsProblem, type OptionDoc } from './checkOptions.js';
export { listedPaths, filesListedIn } from './listedPaths.js';
export * from './clock.js';
export * from './coreChecks.js';
export * from './runner.js';
export * from './suppressions.js';
export * from './config.js';
export {
  readRegularFile,
  readRegularFileOrFail,
  writeFileAtomic,
  appendFileSafe,
  outsideRootReason,
  fsErrorReason,
  fileKind,
  FileAccessError,
  type RegularFileRead,
  type ReadFileOptions,
  type WriteFileOptions,
  type AppendFileOptions,
  type FileRefusal,
} from './safeFs.js';
export * from './reporters/index.js';
export { LineIndex } from './workspace/lines.js';
export type { ParseProblem } from './workspace/problems.js';
export { parseYamlDocument, type YamlDocument, type YamlParseOptions } from './workspace/yamlDocument.js';
export { parseMarkdownDocument, type MarkdownDocument, type MarkdownTable, type MarkdownTableRow, type MarkdownCell } from './workspace/markdownDocument.js';
export { DirectorySource, MemorySource, OverlaySource, normalisePath, type FileSource, type FileRead } from './workspace/source.js';
export { RecordingSource, firstChangedInput, readDigest, listDigest, type InputRecord } from './workspace/recordingSource.js';
export {
  Workspace,
  DocumentCache,
  yamlDigest,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_ALIAS_COUNT,
  type WorkspaceOptions,
  type WellFormedYaml,
  type LoadedFile,
  type TextFile,
} from './workspace/workspace.js';
export { syntaxScan } from './workspace/syntaxScan.js';
export { decodeUtf8 } from './workspace/decode.js';
export { runCheckOnFiles, diagnosticsOf, type RunCheckInput } from './testing/runCheck.js';
export * from './schema/index.js';
export { GitSource, GitError, changedFiles, stagedFiles, gitRepositoryOf, resolveCommit, hasRevision, type GitReadOptions } from './workspace/gitSource.js';
export * from './diff/index.js';
export * from './probe/index.js';
export * from './baseline.js';
export { applyEdits, lineStarts, offsetAt, yamlScalarLike, type ApplyResult, type Fix, type TextEdit } from './fix/textEdits.js';
export { appendTableRowFix, moveListItemFix, replaceCellFix, replaceValueFix } from './fix/valueFix.js';
export { unifiedDiff } from './fix/unifiedDiff.js';
