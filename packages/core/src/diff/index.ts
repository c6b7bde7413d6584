export { DEFAULT_ID_FIELDS, recordId, stablePointer } from './ids.js';
export { diffValues, diffWorkspaces, markdownValue, type DiffOptions, type FileDiff, type PositionedChange, type SemanticChange } from './semanticDiff.js';
export { DEFAULT_MAX_LCS_CELLS } from './lists.js';
export { describeChange, formatDiffJson, formatDiffStylish, shortValue, summariseDiff, type DiffSummary } from './format.js';
export { loadDiffEngine } from './engine.js';
