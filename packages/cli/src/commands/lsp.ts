/**
 * `spine-lint lsp --stdio`: a language server for editors (`vscode-languageserver`). Diagnostics for
 * the bindings of the workspace root on open, change and save, computed on the unsaved buffers (an
 * overlay over the files on disk); after an edit only the checks whose declared inputs include the
 * edited file run again, the others keep their findings. Each diagnostic has the check id (and gate
 * alias), its exact range and a link to the check's page; hover shows the check's summary; code
 * actions carry the fixes and suggestions.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative, resolve, sep } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  MessageType,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DirectorySource, DocumentCache, OverlaySource, runChecks, schemaCheck, syntaxScan, type Check, type Diagnostic, type FindingProducer, type Fix, type Report } from '@spine-lint/core';
import { globRegExp, isConfigFileName, isGlob } from '@spine-lint/core/decide';
import { isInside } from '@spine-lint/core/safe-fs';
import { schemaProducer } from '@spine-lint/checks';
import type { CliIo } from '../io.js';
import { workspaceFrom } from '../prGate.js';
import { setup, type Setup } from '../setup.js';

export const lspHelp = `Usage: spine-lint lsp --stdio

A language server over stdio for editors: diagnostics for the spine's bindings as you type, hover
with the check's summary, quick fixes from the checks' fixes and suggestions. The workspace root is
the spine root (.spine-lint.yaml there is read). See docs/editors.md.
`;

const toLspRange = (d: { line: number; column: number; endLine: number; endColumn: number }) => ({
  start: { line: d.line - 1, character: d.column - 1 },
  end: { line: d.endLine - 1, character: d.endColumn - 1 },
});

export async function lspCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(lspHelp);
    return 0;
  }
  const connection = createConnection(ProposedFeatures.all);
  // A long-lived server: a failed promise is logged to the editor, it does not end the process.
  process.on('unhandledRejection', (reason) => connection.console.error(`spine-lint: ${reason instanceof Error ? reason.message : String(reason)}`));
  const documents = new TextDocuments(TextDocument);
  let s: Setup | undefined;
  let lastReport: Report | undefined;
  /** Findings by check id from the last run of each check. */
  const byCheck = new Map<string, Diagnostic[]>();
  /** Files that had diagnostics published (to clear them when they have none). */
  const published = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let everything = true;
  const wellFormed = new Set<string>();
  // Parsed documents of unchanged files are kept across runs: an edit re-parses the edited file only.
  let parsed = new DocumentCache();

  /**
   * The root-relative path of a document, or undefined when it is none of the root's files: another
   * scheme, outside the root, or a URI that names no local path (`file://host/…`, an encoded `/`),
   * which is then ignored like a file outside the root rather than failing every run.
   */
  const pathOf = (uri: unknown): string | undefined => {
    if (!s || typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    const rel = relative(s.root, path);
    return rel === '' || !isInside(path, s.root) ? undefined : rel.split(sep).join('/');
  };
  const uriOf = (path: string): string => pathToFileURL(resolve(s!.root, path)).href;

  /** The checks that read `path` (by declared `reads`); a check listing files it reads (`readsListedIn`) runs always. */
  const readers = (checks: readonly Check[], paths: ReadonlySet<string>): Check[] =>
    checks.filter((c) => {
      if (c.readsListedIn && c.readsListedIn.length > 0) return true;
      return c.reads.some((r) => {
        const p = s!.workspace.pathOf(r);
        if (isGlob(p)) return [...paths].some((x) => globRegExp(p).test(x));
        return paths.has(p) || [...paths].some((x) => x.startsWith(p.replace(/\/+$/, '') + '/'));
      });
    });

  function validate(): void {
    if (!s) return;
    const overrides = new Map<string, string>();
    for (const doc of documents.all()) {
      const p = pathOf(doc.uri);
      if (p !== undefined) overrides.set(p, doc.getText());
    }
    // The digests of YAML texts found well-formed persist across runs: unchanged files are not re-parsed.
    const workspace = workspaceFrom({ ...s, wellFormedYaml: wellFormed }, new OverlaySource(new DirectorySource(s.root), overrides), parsed);
    const statics = s.checks.filter((c) => c.kind === 'static');
    const selected = everything ? statics : readers(statics, pending);
    // The syntax of every YAML file of the binding directories is scanned once; after that only the
    // edited files are (the other files' parse findings stand until they change).
    const edited = [...pending].filter((p) => /\.ya?ml$/i.test(p));
    const scan: FindingProducer = everything ? syntaxScan(s.bindingDirs) : (w) => (edited.forEach((p) => w.checkSyntax(p)), []);
    // Nothing reads the edited file: only the core findings (parse) are recomputed.
    const report = runChecks({
      workspace,
      checks: statics,
      only: selected.length > 0 ? selected.map((c) => c.id) : ['parse'],
      severities: s.severities,
      checkOptions: s.checkOptions,
      // Schema validation of every binding with a schema, each run: cheap over kept documents, and a
      // binding of the wrong shape must keep the checks that read it from running (no false claims).
      producers: [scan, schemaProducer()],
    });
    // The selected checks replace their findings; core findings (parse…) are replaced for the files this run read.
    const read = new Set(workspace.loadedFiles().map((f) => f.path));
    for (const file of pending) read.add(file);
    for (const [id, list] of [...byCheck]) {
      if (selected.some((c) => c.id === id)) byCheck.delete(id);
      else if (!statics.some((c) => c.id === id)) byCheck.set(id, everything || id === schemaCheck.id ? [] : list.filter((d) => d.file !== null && !read.has(d.file)));
    }
    for (const d of report.results) byCheck.set(d.checkId, [...(byCheck.get(d.checkId) ?? []), d]);
    lastReport = report;
    everything = false;
    pending = new Set();
    const byFile = new Map<string, LspDiagnostic[]>();
    for (const list of byCheck.values()) {
      for (const d of list) {
        if (d.file === null) continue;
        const entry: LspDiagnostic = {
          range: toLspRange(d),
          severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
          source: 'spine-lint',
          code: d.aliases.length > 0 ? `${d.checkId} (${d.aliases.join(', ')})` : d.checkId,
          ...(d.docsUrl ? { codeDescription: { href: d.docsUrl } } : {}),
          message: d.message,
          data: { checkId: d.checkId, fix: d.fix, suggestions: d.suggestions },
        };
        byFile.set(d.file, [...(byFile.get(d.file) ?? []), entry]);
      }
    }
    for (const file of new Set([...published, ...byFile.keys()])) {
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: byFile.get(file) ?? [] });
      if (byFile.has(file)) published.add(file);
      else published.delete(file);
    }
  }

  const schedule = (uri?: string): void => {
    const p = uri === undefined ? undefined : pathOf(uri);
    if (p === undefined) everything = true;
    else pending.add(p);
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        validate();
      } catch (error) {
        connection.console.error(`spine-lint: ${(error as Error).message}`);
      }
    }, 30);
  };

  /** Read the saved config again; a config with an error keeps the one before (the editor is told why). */
  async function reloadConfig(): Promise<void> {
    if (!s) return;
    try {
      s = await setup({ root: s.root }, io);
    } catch (error) {
      // A notification (window/showMessage), not a request: the client need not answer it.
      void connection.sendNotification('window/showMessage', { type: MessageType.Error, message: `spine-lint: the saved config was not applied: ${(error as Error).message}` });
      return;
    }
    byCheck.clear();
    wellFormed.clear();
    parsed = new DocumentCache();
    schedule();
  }

  connection.onInitialize(async (params: InitializeParams) => {
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    const root = rootUri ? fileURLToPath(rootUri) : io.cwd;
    s = await setup({ root }, io);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'spine-lint' },
    };
  });
  connection.onInitialized(() => schedule());
  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidSave((e) => {
    // The config decides the checks, severities, options and paths: saved, it is read again and every check runs.
    const p = pathOf(e.document.uri);
    if (p !== undefined && isConfigFileName(p) && !p.includes('/')) void reloadConfig();
    else schedule(e.document.uri);
  });
  documents.onDidClose((e) => schedule(e.document.uri));

  connection.onHover((params) => {
    const file = pathOf(params.textDocument.uri);
    if (!file || !lastReport || !s) return null;
    const { line, character } = params.position;
    const at = [...byCheck.values()]
      .flat()
      .filter((d) => d.file === file && d.line - 1 <= line && line <= d.endLine - 1 && (d.line - 1 < line || d.column - 1 <= character) && (line < d.endLine - 1 || character <= d.endColumn - 1));
    if (at.length === 0) return null;
    const text = at
      .map((d) => {
        const c = s!.checks.find((x) => x.id === d.checkId);
        return `**${d.checkId}${d.aliases.length ? ` (${d.aliases.join(', ')})` : ''}** — ${c?.title ?? ''}\n\n${c?.description ?? ''}${d.docsUrl ? `\n\n[Documentation](${d.docsUrl})` : ''}`;
      })
      .join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value: text } };
  });

  connection.onCodeAction((params) => {
    const actions: CodeAction[] = [];
    // The fixes come back from the client in the diagnostic's data: only edits of the root's files are offered.
    const inRoot = (fix: Fix | undefined): fix is Fix =>
      !!fix && Array.isArray(fix.edits) && fix.edits.every((e) => typeof e?.file === 'string' && pathOf(pathToFileURL(resolve(s!.root, e.file)).href) !== undefined);
    const asEdit = (fix: Fix) => {
      const changes: Record<string, { range: ReturnType<typeof toLspRange>; newText: string }[]> = {};
      for (const e of fix.edits) (changes[uriOf(e.file)] ??= []).push({ range: toLspRange(e.range), newText: e.text });
      return { changes };
    };
    if (!s) return actions;
    for (const d of params.context.diagnostics) {
      const data = d.data as { fix?: Fix; suggestions?: Fix[] } | undefined;
      if (inRoot(data?.fix)) actions.push({ title: data.fix.description, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: asEdit(data.fix) });
      for (const sg of Array.isArray(data?.suggestions) ? data.suggestions : [])
        if (inRoot(sg)) actions.push({ title: sg.description, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: asEdit(sg) });
    }
    return actions;
  });

  documents.listen(connection);
  const ended = new Promise<void>((resolveEnd) => connection.onExit(() => resolveEnd()));
  connection.listen();
  await ended;
  return 0;
}
