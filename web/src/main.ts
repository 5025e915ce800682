/**
 * The hive editor page: regedit's tree and values, the adapters' Advanced properties, find, check and
 * stat, over one hive opened from disk. Nothing is sent anywhere: with `netconfig web` the page talks
 * only to the process that served it (the token in the address's #fragment), to read and commit the
 * one file it was started with.
 */
import { ValueType } from '../../src/hive/index.js';
import type { KeyNode, ValueRecord } from '../../src/hive/index.js';
import { AdvancedView } from './adapters.js';
import { DialogBox } from './dialog.js';
import { element } from './dom.js';
import {
  EditorError,
  HiveSession,
  NEW_VALUE_TYPES,
  displayData,
  editText,
  hasLogs,
  isNumberType,
  isTextType,
  parseValueInput,
  sortFiles,
  typeName,
} from './model.js';
import type { FindHit, FindOptions, HiveFiles, InputFile } from './model.js';
import { dirtyReason } from './model.js';
import { KeyTree } from './tree.js';
import type { Row } from './tree.js';
import { Hive } from '../../src/hive/index.js';

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

/** Timings the page measured (the Playwright test reads them). */
interface Timings {
  openMs?: number;
  /** Until the frame showing the root was painted (two animation frames later). */
  paintMs?: number;
  expandMs?: number;
  findMs?: number;
}
const timings: Timings = {};

/** With `netconfig web`: where to load and commit the hive. */
interface Served {
  token: string;
  name: string;
}

let session: HiveSession | undefined;
let served: Served | undefined;
let selectedValue: string | undefined;
let lastFind: FindOptions | undefined;
let view: 'registry' | 'adapters' | 'check' = 'registry';

const dialog = new DialogBox($('#dialog'));
const tree = new KeyTree(
  $('#tree'),
  (row) => showKey(row),
  (command) => {
    if (command === 'delete') void deleteSelected('key');
    else if (command === 'rename') void renameSelected('key');
  },
);
(globalThis as unknown as { __hiveEditor: unknown }).__hiveEditor = { timings, expandMs: () => tree.lastExpandMs };
const advanced = new AdvancedView($('#adapter-list'), $('#advanced'), () => session, {
  changed: () => afterEdit(),
  status,
  reveal: (components) => {
    switchView('registry');
    tree.reveal(components);
  },
});

function status(text: string, error = false): void {
  const bar = $('#status');
  bar.textContent = text;
  bar.classList.toggle('error', error);
}

function banner(html: HTMLElement | undefined, error = false): void {
  const box = $('#banner');
  box.replaceChildren();
  box.classList.toggle('error', error);
  if (html === undefined) {
    box.hidden = true;
    return;
  }
  box.append(html);
  box.hidden = false;
}

// ---- opening -------------------------------------------------------------------------------------

async function readFiles(list: FileList | File[]): Promise<InputFile[]> {
  return Promise.all([...list].map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
}

async function openFiles(list: FileList | File[]): Promise<void> {
  const started = performance.now();
  try {
    const files = sortFiles(await readFiles(list));
    served = undefined;
    offerAndOpen(files, started);
  } catch (error) {
    fail(error);
  }
}

/** Opens the hive; a dirty one with logs is first offered for recovery, as the CLI replays them by default. */
function offerAndOpen(files: HiveFiles, started: number): void {
  let probe: Hive | undefined;
  try {
    probe = Hive.open(files.primary.bytes, { tolerant: true });
  } catch (error) {
    fail(error);
    return;
  }
  const why = dirtyReason(probe);
  if (why !== undefined && hasLogs(files.logs)) {
    const recover = element('button', { type: 'button', id: 'recover', textContent: `Recover from ${files.logNames.join(' + ')}` });
    const asIs = element('button', { type: 'button', id: 'open-as-is', textContent: 'Open as it is' });
    recover.onclick = () => finishOpen(files, true, performance.now());
    asIs.onclick = () => finishOpen(files, false, performance.now());
    banner(
      element(
        'span',
        {},
        element('strong', {}, `${files.primary.name} is dirty`),
        ` (${why}): Windows would replay its transaction logs before using it. `,
        recover,
        asIs,
      ),
    );
    status(`${files.primary.name}: dirty, ${files.logNames.length} log file(s) given; choose how to open it.`);
    recover.focus();
    return;
  }
  finishOpen(files, false, started);
  if (why !== undefined) {
    const pick = element('button', { type: 'button', id: 'add-logs', textContent: 'Add its .LOG1/.LOG2…' });
    pick.onclick = () => {
      pendingPrimary = files.primary;
      $('#open-input').click();
    };
    banner(element('span', {}, element('strong', {}, `${files.primary.name} is dirty`), ` (${why}) and no logs were given: showing the file as it is. `, pick));
  }
}

let pendingPrimary: InputFile | undefined;

function finishOpen(files: HiveFiles, recover: boolean, started: number, mountAt?: string): void {
  try {
    session = HiveSession.open(files, recover, mountAt);
  } catch (error) {
    fail(error);
    return;
  }
  banner(undefined);
  $('#welcome').hidden = true;
  switchView('registry');
  tree.reset(session.hive.root(), rootLabel());
  timings.openMs = performance.now() - started;
  timings.paintMs = undefined;
  requestAnimationFrame(() => requestAnimationFrame(() => (timings.paintMs = performance.now() - started)));
  const s = session;
  const recovered = s.recovery === undefined ? '' : `; recovered from ${s.recovery.applied.map((a) => `${a.log} (${a.entries})`).join(', ')}`;
  status(`${s.name}: mounted at ${s.display([])} (${s.mountReason})${recovered}; opened in ${timings.openMs.toFixed(0)} ms`);
  if (s.readOnlyReason !== undefined) banner(element('span', {}, element('strong', {}, 'Read-only: '), s.readOnlyReason.replace(/^read-only: /, '')), true);
  else if (s.recovery !== undefined)
    banner(
      element(
        'span',
        { id: 'recovered-note' },
        element('strong', {}, 'Recovered: '),
        `the logs were replayed in memory; Save writes a clean hive holding them.`,
      ),
    );
  updateButtons();
  tree.element.focus();
}

function rootLabel(): string {
  return session!.display([]);
}

function fail(error: unknown): void {
  console.warn(error);
  status(error instanceof Error ? error.message : String(error), true);
}

// ---- registry view -------------------------------------------------------------------------------

function currentKey(): KeyNode | undefined {
  return session?.key(tree.components());
}

function sortedValues(key: KeyNode): ValueRecord[] {
  return key.values().sort((a, b) => (a.name === '' ? -1 : b.name === '' ? 1 : a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
}

function showKey(row: Row): void {
  if (session === undefined) return;
  const components = tree.components();
  ($('#address') as HTMLInputElement).value = session.display(components);
  selectedValue = undefined;
  renderValues(row.key);
  updateButtons();
}

function renderValues(key: KeyNode | undefined): void {
  const body = $('#values .vbody');
  body.replaceChildren();
  $('#detail').textContent = '';
  if (key === undefined) return;
  const values = sortedValues(key);
  const rows: HTMLElement[] = [];
  if (key.value('') === undefined) rows.push(valueRow('', ValueType.REG_SZ, '(value not set)', -1));
  values.forEach((v, i) => {
    let data: string;
    try {
      data = displayData(v.type, v.data());
    } catch (error) {
      data = `(unreadable: ${(error as Error).message})`;
    }
    rows.push(valueRow(v.name, v.type, data, i));
  });
  body.append(...rows);
  $('#values').setAttribute('aria-rowcount', String(rows.length + 1));
  highlightValue();
}

function valueRow(name: string, type: number, data: string, index: number): HTMLElement {
  const text = type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ || type === ValueType.REG_MULTI_SZ;
  const row = element(
    'div',
    { className: 'vrow', id: `value-row-${index + 1}` },
    element(
      'span',
      { role: 'gridcell' },
      element('span', { className: text ? 'ico' : 'ico bin', ariaHidden: 'true', textContent: text ? 'ab' : '01' }),
      name === '' ? '(Default)' : name,
    ),
    element('span', { role: 'gridcell', textContent: typeName(type) }),
    element('span', { role: 'gridcell', textContent: data }),
  );
  row.setAttribute('role', 'row');
  row.dataset.name = name;
  row.dataset.placeholder = String(index < 0);
  return row;
}

function valueRows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('#values .vrow')];
}

function highlightValue(): void {
  let active: HTMLElement | undefined;
  for (const row of valueRows()) {
    const on = row.dataset.name === selectedValue && row.dataset.placeholder === 'false';
    row.setAttribute('aria-selected', String(on));
    if (on) active = row;
  }
  if (active === undefined) $('#values').removeAttribute('aria-activedescendant');
  else {
    $('#values').setAttribute('aria-activedescendant', active.id);
    active.scrollIntoView({ block: 'nearest' });
  }
  showDetail();
  updateButtons();
}

function hexView(data: Uint8Array, limit = 4096): string {
  const lines: string[] = [];
  for (let at = 0; at < Math.min(data.length, limit); at += 16) {
    const chunk = data.subarray(at, Math.min(at + 16, data.length));
    const hex = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (data.length > limit) lines.push(`… ${data.length - limit} more bytes`);
  return lines.join('\n');
}

function showDetail(): void {
  const key = currentKey();
  const value = selectedValue === undefined ? undefined : key?.value(selectedValue);
  if (value === undefined || isTextType(value.type) || (isNumberType(value.type) && value.dataLength <= 8)) {
    $('#detail').textContent = '';
    return;
  }
  $('#detail').textContent = `${value.name === '' ? '(Default)' : value.name}: ${value.dataLength} bytes\n${hexView(value.data())}`;
}

function selectValue(name: string | undefined): void {
  selectedValue = name;
  highlightValue();
}

function updateButtons(): void {
  const open = session !== undefined;
  const writable = open && session!.readOnlyReason === undefined;
  const onKey = view === 'registry';
  const set = (action: string, enabled: boolean): void => {
    for (const button of document.querySelectorAll<HTMLButtonElement>(`.toolbar [data-action="${action}"]`)) button.disabled = !enabled;
  };
  set('save', writable);
  set('export', open && onKey);
  set('undo', writable && session!.canUndo);
  set('new-key', writable && onKey);
  set('modify', writable && onKey && selectedValue !== undefined);
  set('rename', writable && onKey && (selectedValue !== undefined || tree.components().length > 0));
  set('delete', writable && onKey && (selectedValue !== undefined || tree.components().length > 0));
  set('find', open);
  set('advanced', open && adapterInstanceOf(tree.components()) !== undefined);
  ($('#new-value-type') as HTMLSelectElement).disabled = !(writable && onKey);
  ($('#address') as HTMLInputElement).disabled = !open;
  const undo = document.querySelector<HTMLButtonElement>('[data-action="undo"]')!;
  undo.title = session?.undoLabel === undefined ? 'Undo the last edit (Ctrl+Z)' : `Undo: ${session.undoLabel} (Ctrl+Z)`;
}

/** The instance name when components name an adapter key of the current control set's network class. */
function adapterInstanceOf(components: readonly string[]): string | undefined {
  if (session === undefined || components.length < 5) return undefined;
  const [, control, klass, guid, instance] = components;
  if (control?.toUpperCase() !== 'CONTROL' || klass?.toUpperCase() !== 'CLASS' || guid?.toLowerCase() !== '{4d36e972-e325-11ce-bfc1-08002be10318}')
    return undefined;
  return /^\d{4}$/.test(instance ?? '') ? instance : undefined;
}

/** After any change to the hive: views are rebuilt from the (possibly new) hive object. */
function afterEdit(select?: readonly string[]): void {
  if (session === undefined) return;
  const keep = selectedValue;
  tree.rebuild(session.hive.root(), rootLabel(), select);
  // The Advanced panel reads the hive too (an undo there must show the value back).
  if (view === 'adapters') advanced.show(undefined);
  if (keep !== undefined && currentKey()?.value(keep) !== undefined) selectValue(keep);
  updateButtons();
  document.title = `${session.unsaved > 0 ? '• ' : ''}${session.name} — Hive editor`;
}

function navigate(text: string): void {
  if (session === undefined) return;
  try {
    const components = session.resolve(text);
    tree.reveal(components);
    status(`${session.display(components)}`);
    tree.element.focus();
  } catch (error) {
    fail(error);
  }
}

// ---- editing -------------------------------------------------------------------------------------

function attempt(action: () => void): boolean {
  try {
    action();
    return true;
  } catch (error) {
    fail(error);
    return false;
  }
}

async function newKey(): Promise<void> {
  if (session === undefined) return;
  const parent = tree.components();
  const input = element('input', { type: 'text', id: 'edit-name', value: session.freshName(parent, 'New Key', false) });
  await dialog.run('New key', [element('label', { htmlFor: 'edit-name', textContent: 'Key name' }), input], () => {
    const created = session!.newKey(parent, input.value);
    afterEdit(created);
    status(`created ${session!.display(created)}`);
  });
}

async function renameSelected(what: 'key' | 'value' = selectedValue !== undefined ? 'value' : 'key'): Promise<void> {
  if (session === undefined) return;
  const components = tree.components();
  if (what === 'value' && selectedValue !== undefined) {
    const from = selectedValue;
    const input = element('input', { type: 'text', id: 'edit-name', value: from });
    await dialog.run('Rename value', [element('label', { htmlFor: 'edit-name', textContent: 'Value name' }), input], () => {
      session!.renameValue(components, from, input.value);
      selectedValue = input.value;
      afterEdit();
      status(`renamed ${from} to ${input.value}`);
    });
    return;
  }
  if (components.length === 0) return;
  const input = element('input', { type: 'text', id: 'edit-name', value: components[components.length - 1]! });
  await dialog.run('Rename key', [element('label', { htmlFor: 'edit-name', textContent: 'Key name' }), input], () => {
    const renamed = session!.renameKey(components, input.value);
    afterEdit(renamed);
    status(`renamed to ${session!.display(renamed)}`);
  });
}

async function deleteSelected(what: 'key' | 'value' = selectedValue !== undefined ? 'value' : 'key'): Promise<void> {
  if (session === undefined) return;
  const components = tree.components();
  if (what === 'value' && selectedValue !== undefined) {
    const name = selectedValue;
    await dialog.run(
      'Confirm Value Delete',
      [element('p', { textContent: `Deleting ${name === '' ? '(Default)' : name} could cause system instability. Delete it permanently?` })],
      () => {
        session!.deleteValue(components, name);
        selectedValue = undefined;
        afterEdit();
        status(`deleted value ${name === '' ? '(Default)' : name}`);
      },
    );
    return;
  }
  if (components.length === 0) return;
  await dialog.run('Confirm Key Delete', [element('p', { textContent: `Delete ${session.display(components)} and all of its subkeys?` })], () => {
    session!.deleteKey(components);
    afterEdit(components.slice(0, -1));
    status(`deleted ${session!.display(components)}`);
  });
}

/** The editor for a value: name (for a new one), then a field that fits its type. */
async function editValue(type: number, existing: ValueRecord | undefined): Promise<void> {
  if (session === undefined) return;
  const components = tree.components();
  const isNew = existing === undefined;
  const name = element('input', {
    type: 'text',
    id: 'edit-name',
    value: isNew ? session.freshName(components, 'New Value', true) : existing.name,
    readOnly: !isNew,
  });
  const data = existing?.data() ?? new Uint8Array();
  const fields: HTMLElement[] = [element('label', { htmlFor: 'edit-name', textContent: 'Value name' }), name];
  let read: () => Uint8Array;
  if (isNumberType(type)) {
    const input = element('input', { type: 'text', id: 'edit-data', value: isNew ? '0' : editText(type, data, true) });
    const hex = element('input', { type: 'radio', name: 'base', id: 'base-hex', checked: true });
    const dec = element('input', { type: 'radio', name: 'base', id: 'base-dec' });
    let shownHex = true;
    const rebase = (toHex: boolean): void => {
      if (toHex === shownHex) return;
      try {
        input.value = editText(type, parseValueInput(type, input.value, shownHex), toHex);
      } catch {
        // Leave a value that does not parse as it is: OK reports it.
      }
      shownHex = toHex;
    };
    hex.onchange = () => rebase(true);
    dec.onchange = () => rebase(false);
    fields.push(
      element('label', { htmlFor: 'edit-data', textContent: 'Value data' }),
      input,
      element(
        'div',
        { className: 'row2' },
        'Base:',
        hex,
        element('label', { htmlFor: 'base-hex', textContent: 'Hexadecimal' }),
        dec,
        element('label', { htmlFor: 'base-dec', textContent: 'Decimal' }),
      ),
    );
    read = () => parseValueInput(type, input.value, shownHex);
  } else if (type === ValueType.REG_SZ || type === ValueType.REG_EXPAND_SZ) {
    const input = element('input', { type: 'text', id: 'edit-data', value: editText(type, data) });
    fields.push(element('label', { htmlFor: 'edit-data', textContent: 'Value data' }), input);
    read = () => parseValueInput(type, input.value);
  } else if (type === ValueType.REG_MULTI_SZ) {
    const input = element('textarea', { id: 'edit-data', value: editText(type, data) });
    fields.push(element('label', { htmlFor: 'edit-data', textContent: 'Value data (one string per line)' }), input);
    read = () => parseValueInput(type, input.value);
  } else {
    const input = element('textarea', { id: 'edit-data', value: editText(type, data), spellcheck: false });
    const preview = element('div', { className: 'hexview', textContent: hexView(data) });
    input.oninput = () => {
      try {
        preview.textContent = hexView(parseValueInput(type, input.value));
      } catch (error) {
        preview.textContent = (error as Error).message;
      }
    };
    fields.push(element('label', { htmlFor: 'edit-data', textContent: `Value data (${typeName(type)}, hex bytes)` }), input, preview);
    read = () => parseValueInput(type, input.value);
  }
  await dialog.run(isNew ? `New ${typeName(type)}` : `Edit ${typeName(type)}`, fields, () => {
    const bytes = read();
    if (isNew && session!.key(components)?.value(name.value) !== undefined) throw new EditorError(`a value named "${name.value}" already exists`);
    // A value of a type reg add cannot write (REG_LINK, resource lists…) keeps its type; its bytes come from the hex editor.
    session!.setValue(components, name.value, type, bytes);
    selectedValue = name.value;
    afterEdit();
    status(`${isNew ? 'created' : 'changed'} ${name.value === '' ? '(Default)' : name.value}`);
  });
}

function modifySelected(): void {
  const key = currentKey();
  if (key === undefined || selectedValue === undefined) return;
  const value = key.value(selectedValue);
  if (value !== undefined) void editValue(value.type, value);
}

function undo(): void {
  if (session === undefined) return;
  const label = session.undo();
  if (label === undefined) return;
  afterEdit();
  status(`undone: ${label}`);
}

function download(name: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type }));
  const link = element('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function save(): Promise<void> {
  if (session === undefined) return;
  let bytes: Uint8Array;
  try {
    bytes = session.save();
  } catch (error) {
    fail(error);
    return;
  }
  if (served !== undefined) {
    const response = await fetch(`api/hive?name=${encodeURIComponent(served.name)}`, {
      method: 'PUT',
      headers: { 'x-netconfig-token': served.token, 'content-type': 'application/octet-stream' },
      body: bytes.slice().buffer,
    });
    const text = await response.text();
    if (!response.ok) {
      session.unsaved = 1;
      status(`not saved: ${text}`, true);
      return;
    }
    status(text);
  } else {
    download(session.name, bytes, 'application/octet-stream');
    status(`saved ${session.name} (${bytes.length} bytes, checked clean) as a download`);
  }
  document.title = `${session.name} — Hive editor`;
}

function exportReg(): void {
  if (session === undefined) return;
  const components = tree.components();
  attempt(() => {
    const bytes = session!.exportReg(components);
    const name = `${(components[components.length - 1] ?? session!.name).replace(/[\\/:*?"<>|{}]/g, '_')}.reg`;
    download(name, bytes, 'text/plain');
    status(`exported ${session!.display(components)} to ${name}`);
  });
}

// ---- find ----------------------------------------------------------------------------------------

async function find(): Promise<void> {
  if (session === undefined) return;
  const options: FindOptions = lastFind ?? { pattern: '', keys: true, values: true, data: true, whole: false, caseSensitive: false };
  const text = element('input', { type: 'text', id: 'find-text', value: options.pattern });
  const box = (id: string, label: string, checked: boolean): [HTMLInputElement, HTMLElement] => {
    const input = element('input', { type: 'checkbox', id, checked });
    return [input, element('span', {}, input, element('label', { htmlFor: id, textContent: label }))];
  };
  const [keys, keysLabel] = box('find-keys', 'Keys', options.keys);
  const [values, valuesLabel] = box('find-values', 'Values', options.values);
  const [data, dataLabel] = box('find-data', 'Data', options.data);
  const [whole, wholeLabel] = box('find-whole', 'Match whole string only', options.whole);
  const [caseSensitive, caseLabel] = box('find-case', 'Match case', options.caseSensitive);
  await dialog.run(
    'Find',
    [
      element('label', { htmlFor: 'find-text', textContent: 'Find what (* and ? are wildcards, as reg query /f)' }),
      text,
      element('div', { className: 'row2' }, 'Look at:', keysLabel, valuesLabel, dataLabel),
      element('div', { className: 'row2' }, wholeLabel, caseLabel),
    ],
    () => {
      if (text.value === '') throw new EditorError('type what to find');
      if (!keys.checked && !values.checked && !data.checked) throw new EditorError('look at keys, values or data (at least one)');
      lastFind = {
        pattern: text.value,
        keys: keys.checked,
        values: values.checked,
        data: data.checked,
        whole: whole.checked,
        caseSensitive: caseSensitive.checked,
      };
    },
    'Find Next',
  );
  if (lastFind !== undefined && lastFind.pattern === text.value) findNext();
}

function findNext(): void {
  if (session === undefined) return;
  if (lastFind === undefined) {
    void find();
    return;
  }
  const from: FindHit = { components: tree.components(), ...(selectedValue !== undefined ? { value: selectedValue } : {}) };
  const started = performance.now();
  const hit = session.find(lastFind, from);
  timings.findMs = performance.now() - started;
  if (hit === undefined) {
    status(`Finished searching the registry: no more "${lastFind.pattern}" (${timings.findMs.toFixed(0)} ms)`);
    return;
  }
  switchView('registry');
  tree.reveal(hit.components);
  if (hit.value !== undefined) {
    selectValue(hit.value);
    $('#values').focus();
  } else tree.element.focus();
  status(
    `found ${session.display(hit.components)}${hit.value !== undefined ? ` → ${hit.value === '' ? '(Default)' : hit.value}` : ''} in ${timings.findMs.toFixed(0)} ms`,
  );
}

// ---- check view ----------------------------------------------------------------------------------

function renderCheck(): void {
  if (session === undefined) return;
  const facts = session.stat();
  const list = $('#facts');
  list.replaceChildren();
  const rows: [string, string][] = [
    ['File', facts.name],
    ['Mounted at', facts.mountedAt],
    ['Format', `regf ${facts.version}`],
    ['State when read', facts.dirty ? 'dirty' : 'clean'],
    ['Sequence numbers (as read)', facts.sequence.join(' / ')],
    ['Last written (as read)', facts.lastWritten],
    ['Recorded file name', facts.recordedFileName || '—'],
    ['Bins', `${facts.bins} (${facts.hiveBinsSize} bytes)`],
    ['Keys', String(facts.keys)],
    ['Values', String(facts.values)],
    ['Value data', `${facts.dataBytes} bytes`],
    ['Depth', String(facts.maxDepth)],
    ['Problems skipped', String(facts.problems)],
  ];
  for (const [term, value] of rows) list.append(element('dt', { textContent: term }), element('dd', { textContent: value }));
  const violations = session.check();
  const box = $('#violations');
  box.replaceChildren();
  const errors = violations.filter((v) => v.severity === 'error').length;
  box.append(
    element(
      'p',
      { className: errors === 0 ? 'clean' : 'error', id: 'check-summary' },
      errors === 0 ? `clean${violations.length > 0 ? `, ${violations.length} warning(s) (leaks Windows tolerates)` : ''}` : `${errors} error(s)`,
    ),
  );
  if (violations.length > 0) {
    const table = element(
      'table',
      {},
      element('tr', {}, element('th', { textContent: 'Where' }), element('th', { textContent: 'Rule' }), element('th', { textContent: 'Finding' })),
    );
    for (const v of violations.slice(0, 500))
      table.append(
        element(
          'tr',
          {},
          element('td', { textContent: `${v.kind} 0x${v.offset.toString(16)}` }),
          element('td', { textContent: `${v.severity === 'warning' ? 'warning: ' : ''}${v.rule}` }),
          element('td', { textContent: v.message }),
        ),
      );
    box.append(table);
  }
}

// ---- views and wiring ----------------------------------------------------------------------------

function switchView(next: typeof view): void {
  if (session === undefined) return;
  view = next;
  for (const name of ['registry', 'adapters', 'check'] as const) {
    $(`#view-${name}`).hidden = name !== next;
    $(`#tab-${name}`).setAttribute('aria-selected', String(name === next));
  }
  if (next === 'adapters') advanced.show(adapterInstanceOf(tree.components()));
  if (next === 'check') renderCheck();
  if (next === 'registry') tree.render();
  updateButtons();
}

function wire(): void {
  const input = $('#open-input') as HTMLInputElement;
  input.addEventListener('change', () => {
    if (input.files === null || input.files.length === 0) return;
    const files = [...input.files];
    input.value = '';
    if (pendingPrimary !== undefined) {
      const primary = pendingPrimary;
      pendingPrimary = undefined;
      void readFiles(files).then((logs) => {
        try {
          offerAndOpen(sortFiles([primary, ...logs]), performance.now());
        } catch (error) {
          fail(error);
        }
      });
      return;
    }
    void openFiles(files);
  });
  const actions: Record<string, () => void> = {
    open: () => input.click(),
    save: () => void save(),
    export: exportReg,
    undo,
    'new-key': () => void newKey(),
    modify: modifySelected,
    rename: () => void renameSelected(),
    delete: () => void deleteSelected(),
    find: () => void find(),
    advanced: () => switchView('adapters'),
  };
  document.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (button !== null && !button.disabled) actions[button.dataset.action!]?.();
  });
  const typeSelect = $('#new-value-type') as HTMLSelectElement;
  for (const { type, label } of NEW_VALUE_TYPES) typeSelect.append(element('option', { value: String(type), textContent: label }));
  typeSelect.addEventListener('change', () => {
    const type = Number(typeSelect.value);
    typeSelect.value = '';
    if (typeSelect.selectedIndex >= 0) void editValue(type, undefined);
  });
  for (const name of ['registry', 'adapters', 'check'] as const) $(`#tab-${name}`).addEventListener('click', () => switchView(name));
  const address = $('#address') as HTMLInputElement;
  address.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      navigate(address.value);
    }
  });
  // Values list: click, double-click, and the keys regedit uses there.
  const values = $('#values');
  values.addEventListener('mousedown', (event) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('.vrow');
    if (row !== null) selectValue(row.dataset.placeholder === 'true' ? undefined : row.dataset.name);
  });
  values.addEventListener('dblclick', () => modifySelected());
  values.addEventListener('keydown', (event) => {
    const rows = valueRows().filter((r) => r.dataset.placeholder === 'false');
    const at = rows.findIndex((r) => r.dataset.name === selectedValue);
    let handled = true;
    if (event.key === 'ArrowDown') selectValue(rows[Math.min(rows.length - 1, at + 1)]?.dataset.name);
    else if (event.key === 'ArrowUp') selectValue(rows[Math.max(0, at - 1)]?.dataset.name);
    else if (event.key === 'Home') selectValue(rows[0]?.dataset.name);
    else if (event.key === 'End') selectValue(rows[rows.length - 1]?.dataset.name);
    else if (event.key === 'Enter') modifySelected();
    else if (event.key === 'Delete') void deleteSelected('value');
    else if (event.key === 'F2') void renameSelected('value');
    else handled = false;
    if (handled) event.preventDefault();
  });
  values.addEventListener('focus', () => {
    if (selectedValue === undefined) selectValue(valueRows().find((r) => r.dataset.placeholder === 'false')?.dataset.name);
  });
  document.addEventListener('keydown', (event) => {
    if (dialog.open) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      void find();
    } else if (event.key === 'F3') {
      event.preventDefault();
      findNext();
    } else if (ctrl && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    } else if (ctrl && event.key.toLowerCase() === 'z' && (event.target as HTMLElement).tagName !== 'INPUT') {
      event.preventDefault();
      undo();
    } else if (ctrl && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      address.focus();
      address.select();
    }
  });
  // Drag and drop anywhere on the page.
  const drop = $('#drop');
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer !== null && event.dataTransfer.files.length > 0) void openFiles(event.dataTransfer.files);
  });
  window.addEventListener('beforeunload', (event) => {
    if (session !== undefined && session.unsaved > 0) event.preventDefault();
  });
}

/** With `netconfig web`: the token is in the fragment (never sent in a request line or a Referer). */
async function loadServed(): Promise<void> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return;
  const started = performance.now();
  try {
    const response = await fetch('api/session', { headers: { 'x-netconfig-token': token } });
    if (!response.ok) throw new Error(await response.text());
    const info = (await response.json()) as { hives: { name: string; mount: string }[] };
    const name = new URLSearchParams(location.hash.slice(1)).get('hive') ?? info.hives[0]?.name;
    if (name === undefined) throw new Error('the server offers no hive');
    const hiveResponse = await fetch(`api/hive?name=${encodeURIComponent(name)}`, { headers: { 'x-netconfig-token': token } });
    if (!hiveResponse.ok) throw new Error(await hiveResponse.text());
    const bytes = new Uint8Array(await hiveResponse.arrayBuffer());
    served = { token, name };
    // The server replays logs itself (as every netconfig command does) and sends the hive it would commit over.
    const mount = info.hives.find((h) => h.name === name)?.mount;
    finishOpen({ primary: { name: hiveResponse.headers.get('x-netconfig-file') ?? name, bytes }, logs: {}, logNames: [] }, false, started, mount);
    if (info.hives.length > 1) {
      // An image: every hive it has, one at a time (each saves to its own file).
      const picker = element('select', { id: 'served-hive', ariaLabel: 'Hive of the image' });
      for (const hive of info.hives)
        picker.append(element('option', { value: hive.name, textContent: hive.mount === '' ? hive.name : hive.mount, selected: hive.name === name }));
      picker.onchange = () => {
        if (session !== undefined && session.unsaved > 0 && !confirm('Leave this hive without saving your changes?')) {
          picker.value = name;
          return;
        }
        location.hash = `token=${encodeURIComponent(token)}&hive=${encodeURIComponent(picker.value)}`;
      };
      const line = element('span', {}, 'Hive of the image: ', picker);
      const box = $('#banner');
      if (box.hidden) banner(line);
      else box.append(' ', line);
    }
  } catch (error) {
    fail(error);
  }
}

wire();
window.addEventListener('hashchange', () => void loadServed());
void loadServed();
