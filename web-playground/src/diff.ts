// The diff view: the previous and next schema.prisma side by side (@codemirror/merge), with
// unchanged stretches collapsed. Redrawn only while it is shown.

import { MergeView } from '@codemirror/merge';
import { schemaViewExtensions } from './editor';

let current: { view: MergeView; previous: string; next: string } | null = null;

export function showSchemaDiff(host: HTMLElement, previous: string, next: string): void {
  if (current && current.previous === previous && current.next === next) return;
  current?.view.destroy();
  const view = new MergeView({
    a: { doc: previous, extensions: schemaViewExtensions() },
    b: { doc: next, extensions: schemaViewExtensions() },
    parent: host,
    gutter: true,
    highlightChanges: true,
    collapseUnchanged: { margin: 3, minSize: 6 },
    // A bound on the work for very different sides: past it, the diff is coarser, never slow.
    diffConfig: { scanLimit: 2000, timeout: 150 },
  });
  view.dom.classList.add('schema-diff');
  current = { view, previous, next };
}
