/**
 * The key tree: a flat list of visible rows (expanded keys' children inserted below them), rendered
 * only for the rows in view, so a 40,000-key hive costs what a screenful costs. An ARIA tree: the
 * container has focus and points at the selected row with aria-activedescendant; rows carry level,
 * expanded, selected, setsize and posinset. Keys as regedit moves through them: arrows, Home/End,
 * PageUp/PageDown, Left to collapse or go to the parent, Right to expand or go to the first child,
 * typing to jump to the next key starting with what was typed.
 */
import type { KeyNode } from '../../src/hive/index.js';

/** One visible row. */
export interface Row {
  key: KeyNode;
  name: string;
  depth: number;
  expanded: boolean;
  hasChildren: boolean;
  parent: Row | undefined;
}

const ROW_HEIGHT = 22;
const OVERSCAN = 8;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Upper-cased path of a row, as a map key (registry names compare case-insensitively). */
function rowId(row: Row): string {
  const names: string[] = [];
  for (let r: Row | undefined = row; r?.parent !== undefined; r = r.parent) names.push(r.name.toUpperCase());
  return names.reverse().join('\\');
}

/** The virtualized tree over one hive. */
export class KeyTree {
  rows: Row[] = [];
  selected = 0;
  /** Milliseconds the last expand took (the page reports it). */
  lastExpandMs = 0;
  private readonly spacer: HTMLElement;
  private readonly rowsBox: HTMLElement;
  private typed = '';
  private typedAt = 0;
  private frame = 0;

  constructor(
    readonly element: HTMLElement,
    private readonly onSelect: (row: Row) => void,
    private readonly onCommand: (command: 'delete' | 'rename' | 'values') => void,
  ) {
    this.spacer = element.querySelector('.spacer')!;
    this.rowsBox = element.querySelector('.rows')!;
    element.addEventListener('scroll', () => this.scheduleRender());
    element.addEventListener('keydown', (event) => this.keydown(event));
    element.addEventListener('mousedown', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('.row');
      if (target === null) return;
      const index = Number(target.dataset.i);
      if ((event.target as HTMLElement).classList.contains('twisty')) this.toggle(index);
      this.select(index);
    });
    element.addEventListener('dblclick', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('.row');
      if (target !== null && !(event.target as HTMLElement).classList.contains('twisty')) this.toggle(Number(target.dataset.i));
    });
    new ResizeObserver(() => this.scheduleRender()).observe(element);
  }

  /** Shows a new hive: its root, expanded one level. */
  reset(root: KeyNode, label: string): void {
    this.rows = [{ key: root, name: label, depth: 0, expanded: false, hasChildren: root.subkeyCount > 0, parent: undefined }];
    this.selected = 0;
    this.expand(0);
    this.element.scrollTop = 0;
    this.render();
  }

  /** Components (names below the root) of a row. */
  components(index = this.selected): string[] {
    const names: string[] = [];
    for (let r: Row | undefined = this.rows[index]; r?.parent !== undefined; r = r.parent) names.push(r.name);
    return names.reverse();
  }

  /** Expands a row (its subkeys inserted below it, in the hive's sorted order). */
  expand(index: number): void {
    const row = this.rows[index];
    if (row === undefined || row.expanded || !row.hasChildren) return;
    const started = performance.now();
    const children = row.key
      .subkeys()
      .map<Row>((key) => ({ key, name: key.name, depth: row.depth + 1, expanded: false, hasChildren: key.subkeyCount > 0, parent: row }));
    row.expanded = true;
    this.rows.splice(index + 1, 0, ...children);
    if (this.selected > index) this.selected += children.length;
    this.render();
    this.lastExpandMs = performance.now() - started;
  }

  /** Collapses a row; a selection inside it moves to the row. */
  collapse(index: number): void {
    const row = this.rows[index];
    if (row === undefined || !row.expanded) return;
    let end = index + 1;
    while (end < this.rows.length && this.rows[end]!.depth > row.depth) end++;
    this.rows.splice(index + 1, end - index - 1);
    row.expanded = false;
    if (this.selected > index && this.selected < end) this.select(index);
    else if (this.selected >= end) this.selected -= end - index - 1;
    this.scheduleRender();
  }

  toggle(index: number): void {
    if (this.rows[index]?.expanded) this.collapse(index);
    else this.expand(index);
  }

  /** Selects a row, scrolls it into view and tells the page. */
  select(index: number): void {
    if (this.rows.length === 0) return;
    this.selected = Math.max(0, Math.min(this.rows.length - 1, index));
    this.scrollIntoView(this.selected);
    this.render();
    this.onSelect(this.rows[this.selected]!);
  }

  /** Expands down to a key given by its components and selects it; false when a component is missing. */
  reveal(components: readonly string[]): boolean {
    let index = 0;
    for (const name of components) {
      this.expand(index);
      const depth = this.rows[index]!.depth + 1;
      const upper = name.toUpperCase();
      let found = -1;
      for (let i = index + 1; i < this.rows.length && this.rows[i]!.depth >= depth; i++) {
        if (this.rows[i]!.depth === depth && this.rows[i]!.name.toUpperCase() === upper) {
          found = i;
          break;
        }
      }
      if (found < 0) return false;
      index = found;
    }
    this.select(index);
    return true;
  }

  /** After an edit or undo (the hive may be a new object): rebuilds the rows, keeping what was expanded and selected as far as it still exists. */
  rebuild(root: KeyNode, label: string, select?: readonly string[]): void {
    const expanded = new Set(this.rows.filter((r) => r.expanded).map(rowId));
    const selectedPath = select ?? this.components();
    const scroll = this.element.scrollTop;
    this.rows = [];
    const add = (key: KeyNode, name: string, depth: number, parent: Row | undefined, id: string): void => {
      const row: Row = { key, name, depth, expanded: false, hasChildren: key.subkeyCount > 0, parent };
      this.rows.push(row);
      if (row.hasChildren && expanded.has(id)) {
        row.expanded = true;
        for (const child of key.subkeys()) add(child, child.name, depth + 1, row, id === '' ? child.name.toUpperCase() : `${id}\\${child.name.toUpperCase()}`);
      }
    };
    add(root, label, 0, undefined, '');
    this.element.scrollTop = scroll;
    if (!this.reveal(selectedPath)) {
      // The key is gone (deleted, or undone): select its deepest surviving ancestor.
      for (let n = selectedPath.length - 1; n >= 0; n--) if (this.reveal(selectedPath.slice(0, n))) break;
    }
  }

  private scrollIntoView(index: number): void {
    const top = index * ROW_HEIGHT;
    const view = this.element;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
  }

  private scheduleRender(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private posInSet(index: number): number {
    const depth = this.rows[index]!.depth;
    let n = 1;
    for (let i = index - 1; i >= 0 && this.rows[i]!.depth >= depth; i--) if (this.rows[i]!.depth === depth) n++;
    return n;
  }

  /** Draws the rows in view (synchronously; scrolling batches through requestAnimationFrame). */
  render(): void {
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    const height = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.element.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    let html = '';
    for (let i = first; i < last; i++) {
      const row = this.rows[i]!;
      const setSize = row.parent === undefined ? 1 : row.parent.key.subkeyCount;
      const twisty = row.hasChildren ? (row.expanded ? ' open' : ' closed') : '';
      html +=
        `<div class="row" role="treeitem" id="tree-row-${i}" data-i="${i}" aria-level="${row.depth + 1}"` +
        `${row.hasChildren ? ` aria-expanded="${row.expanded}"` : ''} aria-selected="${i === this.selected}" aria-setsize="${setSize}" aria-posinset="${this.posInSet(i)}"` +
        ` style="padding-left:${row.depth * 16 + 2}px"><span class="twisty${twisty}" aria-hidden="true"></span><span class="folder" aria-hidden="true"></span>${escapeHtml(row.name)}</div>`;
    }
    this.rowsBox.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.rowsBox.innerHTML = html;
    this.element.setAttribute('aria-activedescendant', `tree-row-${this.selected}`);
  }

  private keydown(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 1);
    const row = this.rows[this.selected];
    if (row === undefined) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        this.select(this.selected + 1);
        break;
      case 'ArrowUp':
        this.select(this.selected - 1);
        break;
      case 'PageDown':
        this.select(this.selected + page);
        break;
      case 'PageUp':
        this.select(this.selected - page);
        break;
      case 'Home':
        this.select(0);
        break;
      case 'End':
        this.select(this.rows.length - 1);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) this.expand(this.selected);
        else if (row.expanded) this.select(this.selected + 1);
        break;
      case 'ArrowLeft':
        if (row.expanded) this.collapse(this.selected);
        else if (row.parent !== undefined) this.select(this.rows.indexOf(row.parent));
        break;
      case '*':
      case 'Enter':
        this.toggle(this.selected);
        break;
      case 'Delete':
        this.onCommand('delete');
        break;
      case 'F2':
        this.onCommand('rename');
        break;
      default:
        handled = this.typeAhead(event);
    }
    if (handled) event.preventDefault();
  }

  /** regedit's type-ahead: the next visible key whose name starts with what was typed (within a second). */
  private typeAhead(event: KeyboardEvent): boolean {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return false;
    const now = performance.now();
    this.typed = now - this.typedAt < 1000 ? this.typed + event.key.toUpperCase() : event.key.toUpperCase();
    this.typedAt = now;
    const start = this.typed.length === 1 ? this.selected + 1 : this.selected;
    for (let n = 0; n < this.rows.length; n++) {
      const i = (start + n) % this.rows.length;
      if (this.rows[i]!.name.toUpperCase().startsWith(this.typed)) {
        this.select(i);
        return true;
      }
    }
    return true;
  }
}
