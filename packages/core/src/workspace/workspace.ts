import { sha256Of } from './digest.js';
import type { Range } from '../diagnostic.js';
import { decodeUtf8 } from './decode.js';
import { markdownFrontMatterProblems, parseMarkdownDocument, type MarkdownDocument } from './markdownDocument.js';
import { WHOLE_FILE, type ParseProblem } from './problems.js';
import { layoutPath } from '../decide.cjs';
import type { FileSource } from './source.js';
import { acceptedByFastParser, fastYamlValue, parseYamlDocument, yamlDocumentFromValue, type YamlDocument } from './yamlDocument.js';

export interface WorkspaceOptions {
  /** Logical binding name → repository-relative path (the layout). Config overrides merge over defaults. */
  paths?: Record<string, string>;
  /** Files over this size are refused with a `too-large` finding (default 16 MiB). */
  maxFileBytes?: number;
  /** Alias expansions allowed per YAML document (default 100). */
  maxAliasCount?: number;
  /** Fields that identify a record in a list (`id`, `service`, ...), first present wins; part of the layout. */
  recordIdFields?: readonly string[];
  /**
   * SHA-256 digests of YAML files known to be well-formed (the fast parser accepted them in an
   * earlier run of the same build): a file with such a digest is not parsed just to check its
   * syntax, and each file that passes is added. The CLI keeps it across runs with `--cache`.
   */
  wellFormedYaml?: WellFormedYaml;
  /**
   * Parsed documents kept across workspaces (a long-lived process: the language server re-runs the
   * checks on every edit): a file whose text is the one a cached document was parsed from is not
   * parsed again. Documents are read-only, so workspaces can share them.
   */
  documentCache?: DocumentCache;
}

/** Parsed files by path, each with the text it was parsed from (the latest per path). */
export class DocumentCache {
  private readonly byPath = new Map<string, YamlDocument | MarkdownDocument>();
  /** The cached document of `path` when it was parsed from exactly `text`. */
  get(path: string, text: string): YamlDocument | MarkdownDocument | undefined {
    const doc = this.byPath.get(path);
    return doc !== undefined && doc.text === text ? doc : undefined;
  }
  set(doc: YamlDocument | MarkdownDocument): void {
    this.byPath.set(doc.path, doc);
  }
}

/** A set of digests (`yamlDigest`) of YAML texts the fast parser accepted. */
export interface WellFormedYaml {
  has(digest: string): boolean;
  add(digest: string): void;
}

/** The digest `wellFormedYaml` is keyed by: SHA-256 of the file's bytes, hex. */
export const yamlDigest = (bytes: Uint8Array): string => sha256Of(bytes);

/** A loaded text file: raw text when no parser applies (or for comment scanning). */
export interface TextFile {
  readonly kind: 'text';
  readonly path: string;
  readonly text: string;
  readonly problems: readonly ParseProblem[];
}

export type LoadedFile = YamlDocument | MarkdownDocument | TextFile;

/** A file that exists but could not be read (too large, outside root, bad encoding). */
interface RefusedFile {
  readonly kind: 'refused';
  readonly path: string;
  readonly problems: readonly ParseProblem[];
}

type CacheEntry = LoadedFile | RefusedFile | null;

/** Files over this size are refused unless `limits.maxFileBytes` says otherwise. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Alias expansions a YAML document may make unless `limits.maxAliasCount` says otherwise. */
export const DEFAULT_MAX_ALIAS_COUNT = 100;

const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p);
const isMarkdownPath = (p: string): boolean => /\.(md|markdown)$/i.test(p);

/**
 * A lazily loaded set of bindings. A file is read and parsed once, the first time it is asked for;
 * read and parse problems are kept and become `parse` findings. Nothing here knows spine file names:
 * the layout (`paths`) comes from the catalog and the config.
 */
export class Workspace {
  readonly paths: Readonly<Record<string, string>>;
  /** Fields identifying records in lists, for the semantic diff and line-independent fingerprints. */
  readonly recordIdFields: readonly string[] | undefined;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly documents: DocumentCache | undefined;
  private readonly syntaxChecked = new Set<string>();
  /** Decoded text of YAML files read through `text()` that passed the fast syntax check and were not parsed (yet). */
  private readonly rawText = new Map<string, string>();
  /**
   * The value the fast syntax check of a `rawText` file built, held weakly: a later yaml() reuses it
   * when it is still alive (no second parse), and memory is not kept for files only read as text.
   */
  private readonly rawValue = new Map<string, WeakRef<object> | { value: unknown }>();
  private readonly maxFileBytes: number;
  private readonly maxAliasCount: number;
  private readonly wellFormed: WellFormedYaml | undefined;

  constructor(
    readonly source: FileSource,
    options: WorkspaceOptions = {},
  ) {
    this.paths = Object.freeze({ ...(options.paths ?? {}) });
    this.recordIdFields = options.recordIdFields;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
    this.wellFormed = options.wellFormedYaml;
    this.documents = options.documentCache;
  }

  /** The path of a logical binding name (`ssh.targets`), or the argument itself when it is already a path. */
  pathOf(nameOrPath: string): string {
    return layoutPath(this.paths, nameOrPath);
  }

  private load(nameOrPath: string): CacheEntry {
    const path = this.pathOf(nameOrPath);
    if (this.cache.has(path)) return this.cache.get(path)!;
    const entry = this.loadUncached(path);
    this.cache.set(path, entry);
    return entry;
  }

  private loadUncached(path: string): CacheEntry {
    const raw = this.rawText.get(path);
    if (raw !== undefined) {
      // Read (and syntax-checked) earlier through text(): parse the same text now, count the file once.
      this.rawText.delete(path);
      this.syntaxChecked.delete(path);
      const held = this.rawValue.get(path);
      this.rawValue.delete(path);
      const cached = this.documents?.get(path, raw);
      if (cached) return cached;
      const value = held instanceof WeakRef ? held.deref() : held?.value;
      const doc = value !== undefined ? yamlDocumentFromValue(path, raw, value, { maxAliasCount: this.maxAliasCount }) : parseYamlDocument(path, raw, { maxAliasCount: this.maxAliasCount });
      this.documents?.set(doc);
      return doc;
    }
    const read = this.source.read(path, this.maxFileBytes);
    if (read.status === 'missing') return null;
    if (read.status === 'refused') {
      return { kind: 'refused', path, problems: [{ code: read.code, message: read.reason, range: WHOLE_FILE, severity: 'error' }] };
    }
    const decoded = decodeUtf8(read.bytes);
    if (decoded.problem) return { kind: 'refused', path, problems: [decoded.problem] };
    if (isYamlPath(path)) {
      const cached = this.documents?.get(path, decoded.text);
      if (cached) return cached;
      const doc = parseYamlDocument(path, decoded.text, { maxAliasCount: this.maxAliasCount });
      if (this.wellFormed && acceptedByFastParser(doc)) this.wellFormed.add(yamlDigest(read.bytes));
      this.documents?.set(doc);
      return doc;
    }
    // Markdown is kept as text (front-matter problems only) until a check asks for its tables: markdown().
    if (isMarkdownPath(path)) return { kind: 'text', path, text: decoded.text, problems: markdownFrontMatterProblems(path, decoded.text) };
    return { kind: 'text', path, text: decoded.text, problems: [] };
  }

  /** The cache entry of a Markdown file read so far as text only, parsed now (tables included). */
  private markdownEntry(path: string): CacheEntry {
    const entry = this.load(path);
    if (entry?.kind !== 'text' || !isMarkdownPath(path)) return entry;
    const doc = this.documents?.get(path, entry.text) ?? parseMarkdownDocument(path, entry.text);
    this.documents?.set(doc);
    this.cache.set(path, doc);
    return doc;
  }

  /** A parsed YAML binding; `undefined` when the file does not exist or could not be read. Its `value` is `undefined` when it did not parse. */
  yaml(nameOrPath: string): YamlDocument | undefined {
    const entry = this.load(nameOrPath);
    return entry?.kind === 'yaml' ? entry : undefined;
  }

  /** A parsed Markdown binding; `undefined` when missing or unreadable. */
  markdown(nameOrPath: string): MarkdownDocument | undefined {
    const entry = this.markdownEntry(this.pathOf(nameOrPath));
    return entry?.kind === 'markdown' ? entry : undefined;
  }

  /** The text of any readable file (YAML comments, which a parser drops, live here). */
  text(nameOrPath: string): string | undefined {
    const path = this.pathOf(nameOrPath);
    if (!this.cache.has(path) && isYamlPath(path)) {
      // Text of a YAML file (comment markers, `updated:` lines): no positioned parse unless a check
      // asks for the document or a finding needs a position. The fast syntax check still runs, so a
      // file with problems is fully parsed here and its problems are reported exactly as before.
      const raw = this.rawText.get(path);
      if (raw !== undefined) return raw;
      const read = this.source.read(path, this.maxFileBytes);
      if (read.status === 'ok') {
        const decoded = decodeUtf8(read.bytes);
        const digest = this.wellFormed && !decoded.problem ? yamlDigest(read.bytes) : undefined;
        if (digest !== undefined && this.wellFormed!.has(digest)) {
          // Known well-formed: keep the text, parse only if a check asks for the document.
          this.rawText.set(path, decoded.text);
          this.syntaxChecked.add(path);
          return decoded.text;
        }
        const fast = decoded.problem ? undefined : fastYamlValue(decoded.text);
        if (fast) {
          if (digest !== undefined) this.wellFormed!.add(digest);
          this.rawText.set(path, decoded.text);
          this.rawValue.set(path, typeof fast.value === 'object' && fast.value !== null ? new WeakRef(fast.value) : fast);
          this.syntaxChecked.add(path);
          return decoded.text;
        }
      }
    }
    const entry = this.load(path);
    return entry && entry.kind !== 'refused' ? entry.text : undefined;
  }

  /**
   * True when the fast parser accepts the text as one anchor-free document whose value `yaml` would
   * build the same way (else the full parser must judge it; an empty file costs it nothing).
   */
  private fastSyntaxOk(text: string): boolean {
    return fastYamlValue(text) !== undefined;
  }

  /**
   * Check a YAML file's syntax without keeping a positioned document (the syntax scan of whole
   * binding directories). A fast parser runs first; only a file it rejects, or one with anchors,
   * several documents or a shape the two parsers read differently (`fastYamlValue`), goes through
   * the full parser, for exact positions and messages.
   */
  checkSyntax(nameOrPath: string): void {
    const path = this.pathOf(nameOrPath);
    if (this.cache.has(path) || this.syntaxChecked.has(path)) return;
    const read = this.source.read(path, this.maxFileBytes);
    if (read.status !== 'ok') {
      this.load(path);
      return;
    }
    const digest = this.wellFormed ? yamlDigest(read.bytes) : undefined;
    if (digest !== undefined && this.wellFormed!.has(digest)) {
      this.syntaxChecked.add(path);
      return;
    }
    const decoded = decodeUtf8(read.bytes);
    if (!decoded.problem && this.fastSyntaxOk(decoded.text)) {
      if (digest !== undefined) this.wellFormed!.add(digest);
      this.syntaxChecked.add(path);
      return;
    }
    // the full parser gives an exact, well-worded problem
    this.load(path);
  }

  /** Whether the file exists in the source (even if it could not be parsed). */
  exists(nameOrPath: string): boolean {
    const path = this.pathOf(nameOrPath);
    if (this.rawText.has(path)) return true;
    return this.load(path) !== null;
  }

  /**
   * Whether the file exists but was refused unread (over the size limit, not a regular file, a
   * link leaving the root, unreadable, not UTF-8): its `parse` finding says why.
   */
  refused(nameOrPath: string): boolean {
    const path = this.pathOf(nameOrPath);
    if (this.rawText.has(path)) return false;
    return this.load(path)?.kind === 'refused';
  }

  /** Files directly inside a directory of the source. */
  list(dir: string): string[] {
    const path = this.pathOf(dir);
    const names = this.source.list(path);
    const refusal = this.source.listRefusal?.(path);
    // A directory that exists but cannot be listed is a finding on it, not an empty directory.
    if (refusal && !this.cache.get(path)) this.cache.set(path, { kind: 'refused', path, problems: [{ code: refusal.code, message: refusal.reason, range: WHOLE_FILE, severity: 'error' }] });
    return names;
  }

  /** Every file loaded so far, with its problems. */
  loadedFiles(): { path: string; problems: readonly ParseProblem[] }[] {
    const out: { path: string; problems: readonly ParseProblem[] }[] = [];
    for (const [path, entry] of this.cache) if (entry) out.push({ path, problems: entry.problems });
    // Read as text only: no problems (the fast syntax check accepted them), but their inline directives count.
    for (const path of this.rawText.keys()) out.push({ path, problems: [] });
    return out;
  }

  get filesRead(): number {
    let n = this.syntaxChecked.size;
    for (const entry of this.cache.values()) if (entry) n++;
    return n;
  }

  /** Resolve a pointer in a file to a range; whole-file start when the file or node is unknown. */
  locate(file: string, pointer: string | undefined): Range {
    if (pointer === undefined) return WHOLE_FILE;
    const entry = this.markdownEntry(this.pathOf(file));
    if (!entry || entry.kind === 'refused' || entry.kind === 'text') return WHOLE_FILE;
    return entry.locate(pointer);
  }
}
