// A light code editor: a <textarea> over a backdrop that draws error marks, with a gutter of
// line numbers. Lines never wrap, so line N of the text is line N of the gutter and of the
// backdrop, and the marks sit exactly under the characters a span names.

/** One diagnostic to draw: a code, a message and, when it has a place, its span. */
export interface EditorDiagnostic {
  code: string;
  message: string;
  /** Byte offsets (UTF-8) into the text and the 1-based line and column of the start; `line` 0 means no place. */
  span: { start: number; end: number; line: number; column: number } | null;
}

export interface EditorOptions {
  /** The accessible name of the text area. */
  label: string;
  /** A name for tests and styles: the editor's root gets `data-editor="<name>"`. */
  name: string;
  placeholder?: string;
  readOnly?: boolean;
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

/** A diagnostic resolved to string indices, for drawing. */
interface Mark {
  from: number;
  to: number;
  line: number;
  diagnostic: EditorDiagnostic;
}

export class CodeEditor {
  readonly element: HTMLDivElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly gutterLines: HTMLDivElement;
  private readonly backdropLines: HTMLDivElement;
  private readonly diagnosticsList: HTMLUListElement;
  private diagnostics: EditorDiagnostic[] = [];
  private renderFrame = 0;
  private readonly changeListeners: Array<(text: string) => void> = [];

  constructor(options: EditorOptions) {
    this.element = document.createElement('div');
    this.element.className = 'editor';
    this.element.dataset.editor = options.name;
    this.element.innerHTML = `
      <div class="editor-frame">
        <div class="gutter" aria-hidden="true"><div class="gutter-lines"></div></div>
        <div class="code">
          <div class="backdrop" aria-hidden="true"><div class="backdrop-lines"></div></div>
          <textarea spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"></textarea>
        </div>
      </div>
      <ul class="diagnostics" hidden></ul>`;
    this.gutterLines = this.element.querySelector('.gutter-lines')!;
    this.backdropLines = this.element.querySelector('.backdrop-lines')!;
    this.textarea = this.element.querySelector('textarea')!;
    this.diagnosticsList = this.element.querySelector('.diagnostics')!;
    this.textarea.setAttribute('aria-label', options.label);
    if (options.placeholder) this.textarea.placeholder = options.placeholder;
    this.setReadOnly(options.readOnly ?? false);

    this.textarea.addEventListener('input', () => {
      this.scheduleRender();
      for (const listener of this.changeListeners) listener(this.textarea.value);
    });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    this.textarea.addEventListener('keydown', (event) => this.handleKey(event));
    this.diagnosticsList.addEventListener('click', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      const diagnostic = item ? this.diagnostics[Number(item.dataset.index)] : undefined;
      if (diagnostic) this.reveal(diagnostic);
    });
    this.render();
  }

  get value(): string {
    return this.textarea.value;
  }

  /** Replaces the text without telling listeners. */
  setValue(text: string): void {
    if (text === this.textarea.value) return;
    this.textarea.value = text;
    this.render();
  }

  /** Replaces the whole text as an edit the user can undo (the format button), and tells listeners. */
  replaceAll(text: string): void {
    if (text === this.textarea.value) return;
    this.textarea.focus();
    this.textarea.select();
    this.insertText(text);
  }

  onChange(listener: (text: string) => void): void {
    this.changeListeners.push(listener);
  }

  setReadOnly(readOnly: boolean): void {
    this.textarea.readOnly = readOnly;
    this.element.classList.toggle('read-only', readOnly);
  }

  setDiagnostics(diagnostics: EditorDiagnostic[]): void {
    this.diagnostics = diagnostics;
    this.render();
  }

  /** Puts the cursor on a diagnostic's span and scrolls it into view. */
  reveal(diagnostic: EditorDiagnostic): void {
    const mark = this.markOf(diagnostic);
    if (!mark) return;
    this.textarea.focus();
    this.textarea.setSelectionRange(mark.from, mark.to);
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
    this.textarea.scrollTop = Math.max(0, (mark.line - 3) * lineHeight);
    this.syncScroll();
  }

  private markOf(diagnostic: EditorDiagnostic): Mark | null {
    const span = diagnostic.span;
    if (!span || span.line < 1) return null;
    const text = this.textarea.value;
    const from = Math.min(utf16IndexOfByteOffset(text, span.start), text.length);
    const to = Math.max(from, Math.min(utf16IndexOfByteOffset(text, span.end), text.length));
    return { from, to, line: span.line, diagnostic };
  }

  /**
   * Draws on the next frame. Chromium fires one input event per line when text is inserted
   * programmatically (execCommand, automation): drawing on each would be quadratic.
   */
  private scheduleRender(): void {
    if (this.renderFrame !== 0) return;
    this.renderFrame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    if (this.renderFrame !== 0) cancelAnimationFrame(this.renderFrame);
    this.renderFrame = 0;
    const text = this.textarea.value;
    const lines = text.split('\n');
    const marks = this.diagnostics.map((diagnostic) => this.markOf(diagnostic)).filter((mark): mark is Mark => mark !== null);
    const messagesByLine = new Map<number, string[]>();
    for (const mark of marks) {
      const messages = messagesByLine.get(mark.line) ?? [];
      messages.push(`${mark.diagnostic.code}: ${mark.diagnostic.message}`);
      messagesByLine.set(mark.line, messages);
    }

    let gutterHtml = '';
    let backdropHtml = '';
    let lineStart = 0;
    lines.forEach((line, index) => {
      const lineNumber = index + 1;
      const lineEnd = lineStart + line.length;
      const messages = messagesByLine.get(lineNumber);
      const errorClass = messages ? ' has-error' : '';
      const title = messages ? ` title="${escapeHtml(messages.join('\n'))}"` : '';
      gutterHtml += `<div class="gutter-line${errorClass}" data-line="${lineNumber}"${title}>${lineNumber}</div>`;
      backdropHtml += `<div class="backdrop-line${errorClass}" data-line="${lineNumber}">${this.lineHtml(line, lineStart, lineEnd, marks)}</div>`;
      lineStart = lineEnd + 1;
    });
    this.gutterLines.innerHTML = gutterHtml;
    this.backdropLines.innerHTML = backdropHtml;

    this.diagnosticsList.hidden = this.diagnostics.length === 0;
    this.diagnosticsList.innerHTML = this.diagnostics
      .map((diagnostic, index) => {
        const place = diagnostic.span && diagnostic.span.line > 0 ? `${diagnostic.span.line}:${diagnostic.span.column}` : '';
        return `<li class="diagnostic" data-index="${index}" data-code="${escapeHtml(diagnostic.code)}"${
          place ? ` data-line="${diagnostic.span!.line}" data-column="${diagnostic.span!.column}"` : ''
        }>${place ? `<button type="button" class="place">line ${place}</button>` : ''}<code>${escapeHtml(
          diagnostic.code,
        )}</code> <span class="message">${escapeHtml(diagnostic.message)}</span></li>`;
      })
      .join('');
    this.element.classList.toggle('has-errors', this.diagnostics.length > 0);
    this.syncScroll();
  }

  /** A line's text, escaped, with the parts under marks wrapped in <mark>. */
  private lineHtml(line: string, lineStart: number, lineEnd: number, marks: Mark[]): string {
    const boundaries = new Set<number>([0, line.length]);
    const inLine = marks.filter((mark) => mark.from <= lineEnd && mark.to >= lineStart);
    for (const mark of inLine) {
      boundaries.add(Math.max(0, mark.from - lineStart));
      boundaries.add(Math.min(line.length, mark.to - lineStart));
    }
    const cuts = [...boundaries].sort((a, b) => a - b);
    let html = '';
    for (let index = 0; index < cuts.length; index++) {
      const from = cuts[index]!;
      const to = cuts[index + 1];
      // An empty span (such as "expected a closing brace here") gets a caret-wide mark.
      const emptyHere = inLine.filter((mark) => mark.from === mark.to && mark.from - lineStart === from);
      for (const mark of emptyHere) html += `<mark class="error empty" data-line="${mark.line}" title="${escapeHtml(mark.diagnostic.message)}"></mark>`;
      if (to === undefined) break;
      const segment = escapeHtml(line.slice(from, to));
      const covering = inLine.find((mark) => mark.from < mark.to && mark.from - lineStart <= from && mark.to - lineStart >= to);
      html += covering
        ? `<mark class="error" data-line="${covering.line}" data-code="${escapeHtml(covering.diagnostic.code)}">${segment}</mark>`
        : segment;
    }
    return html;
  }

  private syncScroll(): void {
    const { scrollTop, scrollLeft } = this.textarea;
    this.gutterLines.style.transform = `translateY(${-scrollTop}px)`;
    this.backdropLines.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
  }

  /** Tab indents by two spaces (Escape first lets Tab leave the editor), Enter keeps the indentation. */
  private handleKey(event: KeyboardEvent): void {
    if (this.textarea.readOnly) return;
    if (event.key === 'Escape') {
      this.textarea.dataset.tabLeaves = 'true';
      return;
    }
    if (event.key === 'Tab' && !event.shiftKey && this.textarea.dataset.tabLeaves !== 'true' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.insertText('  ');
      return;
    }
    delete this.textarea.dataset.tabLeaves;
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const { value, selectionStart } = this.textarea;
      const lineStart = value.lastIndexOf('\n', selectionStart - 1) + 1;
      const indentation = /^[ \t]*/.exec(value.slice(lineStart, selectionStart))?.[0] ?? '';
      const opensBlock = value.slice(lineStart, selectionStart).trimEnd().endsWith('{');
      event.preventDefault();
      this.insertText(`\n${indentation}${opensBlock ? '  ' : ''}`);
    }
  }

  private insertText(text: string): void {
    // execCommand keeps the browser's undo history; where it is gone, edit the value directly.
    if (!document.execCommand?.('insertText', false, text)) {
      const { selectionStart, selectionEnd, value } = this.textarea;
      this.textarea.value = value.slice(0, selectionStart) + text + value.slice(selectionEnd);
      this.textarea.selectionStart = this.textarea.selectionEnd = selectionStart + text.length;
      this.textarea.dispatchEvent(new Event('input'));
    }
  }
}
