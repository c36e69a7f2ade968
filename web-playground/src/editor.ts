// The page's editors: CodeMirror 6, with highlighting for schema.prisma (a small stream
// tokenizer: there is no CodeMirror grammar for Prisma), JSON and SQL, search (Ctrl/Cmd-F),
// undo history, and the planner's errors as lint marks (wavy underline, a gutter marker, the
// line tinted) and as a list below the editor whose entries select the faulty text.
//
// CodeMirror draws only the lines in view and highlights in slices of idle time, so a 5,000-line
// schema costs the same per keystroke as a 50-line one.

import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { PostgreSQL, SQLite, sql } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, indentOnInput, StreamLanguage, syntaxHighlighting, type StreamParser } from '@codemirror/language';
import { lintGutter, setDiagnostics as lintDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Annotation, Compartment, EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, type DecorationSet, drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/** One diagnostic to draw: a code, a message and, when it has a place, its span. */
export interface EditorDiagnostic {
  code: string;
  message: string;
  /** Byte offsets (UTF-8) into the text and the 1-based line and column of the start; `line` 0 means no place. */
  span: { start: number; end: number; line: number; column: number } | null;
}

export type EditorLanguage = 'prisma' | 'json' | 'sql-sqlite' | 'sql-postgresql';

export interface EditorOptions {
  /** The accessible name of the editable area. */
  label: string;
  /** A name for tests and styles: the editor's root gets `data-editor="<name>"`. */
  name: string;
  language: EditorLanguage;
  placeholder?: string;
  readOnly?: boolean;
  /** Without the list of diagnostics under the editor (the SQL view). */
  noDiagnosticsList?: boolean;
}

/** The UTF-16 index (a JS string index) of a UTF-8 byte offset into `text`. */
export function utf16IndexOfByteOffset(text: string, byteOffset: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length && bytes < byteOffset) {
    const codePoint = text.codePointAt(index) ?? 0;
    bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[character]};`);
}

// ----- schema.prisma highlighting -----

interface PrismaTokenizerState {
  /** The next word names a block (after `model`, `enum`, ...). */
  blockNameNext: boolean;
  /** Inside `{ ... }`, and whether this line's field name has been read. */
  depth: number;
  fieldNameRead: boolean;
}

const blockKeywords = new Set(['model', 'enum', 'datasource', 'generator', 'type', 'view']);

const prismaTokenizer: StreamParser<PrismaTokenizerState> = {
  name: 'prisma',
  startState: () => ({ blockNameNext: false, depth: 0, fieldNameRead: false }),
  token(stream, state) {
    if (stream.sol()) state.fieldNameRead = false;
    if (stream.eatSpace()) return null;
    if (stream.match('///')) {
      stream.skipToEnd();
      return 'docComment';
    }
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'lineComment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^@@?[A-Za-z_][\w.]*/)) return 'meta';
    if (stream.match(/^-?\d+(?:\.\d+)?/)) return 'number';
    const word = stream.match(/^[A-Za-z_]\w*/);
    if (word) {
      const text = (word as RegExpMatchArray)[0];
      if (state.blockNameNext) {
        state.blockNameNext = false;
        return 'typeName';
      }
      if (state.depth === 0 && blockKeywords.has(text)) {
        state.blockNameNext = true;
        return 'keyword';
      }
      if (state.depth > 0 && !state.fieldNameRead && stream.column() === stream.indentation()) {
        state.fieldNameRead = true;
        return 'propertyName';
      }
      if (text === 'true' || text === 'false') return 'bool';
      if (/^[A-Z]/.test(text)) return 'typeName';
      return 'variableName';
    }
    const character = stream.next();
    if (character === '{') state.depth++;
    else if (character === '}') state.depth = Math.max(0, state.depth - 1);
    if (character === '?' || character === '[' || character === ']') return 'operator';
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '//' } },
};

const prismaLanguage = StreamLanguage.define(prismaTokenizer);

// Colors through CSS variables, so that dark mode (style.css) restyles the code too.
const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: 'var(--code-keyword)', fontWeight: '600' },
  { tag: [tags.typeName, tags.className], color: 'var(--code-type)' },
  { tag: [tags.propertyName], color: 'var(--code-property)' },
  { tag: [tags.meta, tags.annotation], color: 'var(--code-attribute)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--code-number)' },
  { tag: [tags.lineComment, tags.blockComment, tags.comment, tags.docComment], color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: [tags.special(tags.name), tags.quote], color: 'var(--code-identifier)' },
]);

function languageExtension(language: EditorLanguage): Extension {
  switch (language) {
    case 'prisma':
      return prismaLanguage;
    case 'json':
      return json();
    case 'sql-sqlite':
      return sql({ dialect: SQLite });
    case 'sql-postgresql':
      return sql({ dialect: PostgreSQL });
  }
}

// ----- error lines -----

/** The 1-based numbers of the lines that carry an error, as line decorations. */
const setErrorLines = StateEffect.define<number[]>();

const errorLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    decorations = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLines)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const document = transaction.state.doc;
      for (const number of [...new Set(effect.value)].sort((a, b) => a - b)) {
        if (number < 1 || number > document.lines) continue;
        const line = document.line(number);
        builder.add(line.from, line.from, Decoration.line({ attributes: { class: 'cm-error-line', 'data-error-line': String(number) } }));
      }
      decorations = builder.finish();
    }
    return decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** Marks a transaction made by the page (setValue), which change listeners do not hear about. */
const fromPage = Annotation.define<boolean>();

const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--surface)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--code-font)', lineHeight: 'var(--line-height)' },
  '.cm-gutters': { backgroundColor: 'var(--gutter)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '.cm-error-line': { backgroundColor: 'var(--error-line)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-panels': { backgroundColor: 'var(--surface)', color: 'var(--text)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' },
});

/** A read-only, highlighted schema.prisma view (the diff view's two sides). */
export function schemaViewExtensions(): Extension {
  return [
    lineNumbers(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    prismaLanguage,
    syntaxHighlighting(highlightStyle),
    editorTheme,
  ];
}

/** The one change that turns `previous` into `next`: everything between their common prefix and suffix. */
function changedRange(previous: string, next: string): { from: number; to: number; insert: string } {
  const shorter = Math.min(previous.length, next.length);
  let prefix = 0;
  while (prefix < shorter && previous.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    previous.charCodeAt(previous.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  ) {
    suffix++;
  }
  return { from: prefix, to: previous.length - suffix, insert: next.slice(prefix, next.length - suffix) };
}

export class CodeEditor {
  readonly element: HTMLDivElement;
  readonly view: EditorView;
  private readonly diagnosticsList: HTMLUListElement;
  private readonly languageSlot = new Compartment();
  private readonly readOnlySlot = new Compartment();
  private diagnostics: EditorDiagnostic[] = [];
  private readonly changeListeners: Array<(text: string) => void> = [];

  constructor(options: EditorOptions) {
    this.element = document.createElement('div');
    this.element.className = 'editor';
    this.element.dataset.editor = options.name;
    const frame = document.createElement('div');
    frame.className = 'editor-frame';
    this.diagnosticsList = document.createElement('ul');
    this.diagnosticsList.className = 'diagnostics';
    this.diagnosticsList.hidden = true;
    this.element.append(frame);
    if (!options.noDiagnosticsList) this.element.append(this.diagnosticsList);

    this.view = new EditorView({
      parent: frame,
      state: EditorState.create({
        doc: '',
        extensions: [
          lineNumbers(),
          lintGutter(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          highlightSelectionMatches(),
          search({ top: true }),
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]),
          syntaxHighlighting(highlightStyle),
          this.languageSlot.of(languageExtension(options.language)),
          this.readOnlySlot.of(this.readOnlyExtension(options.readOnly ?? false)),
          errorLines,
          editorTheme,
          EditorState.tabSize.of(2),
          options.placeholder ? placeholder(options.placeholder) : [],
          EditorView.contentAttributes.of({ 'aria-label': options.label }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || update.transactions.every((transaction) => transaction.annotation(fromPage))) return;
            const text = update.state.doc.toString();
            for (const listener of this.changeListeners) listener(text);
          }),
        ],
      }),
    });

    this.diagnosticsList.addEventListener('click', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      const diagnostic = item ? this.diagnostics[Number(item.dataset.index)] : undefined;
      if (diagnostic) this.reveal(diagnostic);
    });
  }

  get value(): string {
    return this.view.state.doc.toString();
  }

  /** The selected text (for tests and the diagnostics list). */
  get selectedText(): string {
    const { from, to } = this.view.state.selection.main;
    return this.view.state.sliceDoc(from, to);
  }

  /**
   * Replaces the text without telling listeners (and outside the undo history). Only the part
   * that differs is replaced, so that a new plan's SQL, which mostly equals the last one, keeps
   * CodeMirror's parse tree and line heights instead of redrawing and reparsing everything.
   */
  setValue(text: string): void {
    const current = this.value;
    if (text === current) return;
    this.view.dispatch({
      changes: changedRange(current, text),
      annotations: [fromPage.of(true)],
      ...(this.diagnostics.length > 0 ? lintDiagnostics(this.view.state, []) : {}),
    });
    if (this.diagnostics.length > 0) this.setDiagnostics([]);
  }

  /** Replaces the whole text as an edit the user can undo (the format button), and tells listeners. */
  replaceAll(text: string): void {
    if (text === this.value) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, userEvent: 'input.replace' });
  }

  onChange(listener: (text: string) => void): void {
    this.changeListeners.push(listener);
  }

  setLanguage(language: EditorLanguage): void {
    this.view.dispatch({ effects: this.languageSlot.reconfigure(languageExtension(language)) });
  }

  setReadOnly(readOnly: boolean): void {
    this.view.dispatch({ effects: this.readOnlySlot.reconfigure(this.readOnlyExtension(readOnly)) });
    this.element.classList.toggle('read-only', readOnly);
  }

  private readOnlyExtension(readOnly: boolean): Extension {
    return readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : [];
  }

  setDiagnostics(diagnostics: EditorDiagnostic[]): void {
    if (diagnostics.length === 0 && this.diagnostics.length === 0) return;
    this.diagnostics = diagnostics;
    const text = this.value;
    const placed = diagnostics.map((diagnostic) => ({ diagnostic, range: this.rangeOf(diagnostic, text) }));
    const lint: Diagnostic[] = placed
      .filter((entry) => entry.range !== null)
      .map(({ diagnostic, range }) => ({
        from: range!.from,
        to: range!.to,
        severity: 'error',
        source: diagnostic.code,
        message: diagnostic.message,
      }));
    const lines = placed.filter((entry) => entry.range !== null).map(({ range }) => this.view.state.doc.lineAt(range!.from).number);
    this.view.dispatch(lintDiagnostics(this.view.state, lint), { effects: setErrorLines.of(lines) });

    this.diagnosticsList.hidden = diagnostics.length === 0;
    this.diagnosticsList.innerHTML = diagnostics
      .map((diagnostic, index) => {
        const place = diagnostic.span && diagnostic.span.line > 0 ? `${diagnostic.span.line}:${diagnostic.span.column}` : '';
        return `<li class="diagnostic" data-index="${index}" data-code="${escapeHtml(diagnostic.code)}"${
          place ? ` data-line="${diagnostic.span!.line}" data-column="${diagnostic.span!.column}"` : ''
        }>${place ? `<button type="button" class="place">line ${place}</button>` : ''}<code>${escapeHtml(
          diagnostic.code,
        )}</code> <span class="message">${escapeHtml(diagnostic.message)}</span></li>`;
      })
      .join('');
    this.element.classList.toggle('has-errors', diagnostics.length > 0);
  }

  /** Puts the cursor on a diagnostic's span and scrolls it into view. */
  reveal(diagnostic: EditorDiagnostic): void {
    const range = this.rangeOf(diagnostic, this.value);
    if (!range) return;
    this.view.focus();
    this.view.dispatch({ selection: { anchor: range.from, head: range.to }, scrollIntoView: true });
  }

  /** A diagnostic's span as string indices; an empty span stays empty (CodeMirror draws it as a point). */
  private rangeOf(diagnostic: EditorDiagnostic, text: string): { from: number; to: number } | null {
    const span = diagnostic.span;
    if (!span || span.line < 1) return null;
    const from = Math.min(utf16IndexOfByteOffset(text, span.start), text.length);
    const to = Math.max(from, Math.min(utf16IndexOfByteOffset(text, span.end), text.length));
    return { from, to };
  }
}
