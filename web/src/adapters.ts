/**
 * The Adapters view: the network adapters of a SYSTEM hive (the current control set's
 * Class\{4d36e972-…}\NNNN keys) and, for the chosen one, Device Manager's Advanced tab built from its
 * Ndi\params — enum drop-downs, numbers with their range and step, text with its limit, the default,
 * "Not Present" for optional ones. A value is checked by validateParameter, the very function
 * `netconfig adapter set` uses, and written the same way (a REG_SZ in the instance key).
 */
import type { KeyNode } from '../../src/hive/index.js';
import { NtStatusError, Registry, listNetworkAdapters, openNetworkAdapter, valueText } from '../../src/registry/index.js';
import { adapterParameters, setParameter, validateParameter } from '../../src/registry/ndi-params.js';
import type { AdapterParameter } from '../../src/registry/ndi-params.js';
import { element } from './dom.js';
import type { HiveSession } from './model.js';

interface Hooks {
  changed: () => void;
  status: (text: string, error?: boolean) => void;
  reveal: (components: string[]) => void;
}

/** The adapter list and the Advanced panel. */
export class AdvancedView {
  private instance: string | undefined;
  private keyword: string | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly panel: HTMLElement,
    private readonly session: () => HiveSession | undefined,
    private readonly hooks: Hooks,
  ) {
    list.addEventListener('mousedown', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[role=option]');
      if (option !== null) this.select(option.dataset.instance!);
    });
    list.addEventListener('keydown', (event) => {
      const options = [...list.querySelectorAll<HTMLElement>('[role=option]')];
      const at = options.findIndex((o) => o.dataset.instance === this.instance);
      const next =
        event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? options.length - 1 : undefined;
      if (next === undefined) return;
      event.preventDefault();
      const option = options[Math.max(0, Math.min(options.length - 1, next))];
      if (option !== undefined) this.select(option.dataset.instance!);
    });
  }

  /** Lists the adapters; selects `instance` (or keeps the selection, or takes the first). */
  show(instance: string | undefined): void {
    const session = this.session();
    this.list.replaceChildren();
    this.panel.replaceChildren();
    if (session === undefined) return;
    let adapters;
    try {
      adapters = listNetworkAdapters(new Registry(session.hive));
    } catch (error) {
      const why = error instanceof NtStatusError ? `not a SYSTEM hive with network adapters: ${error.message}` : String(error);
      this.panel.append(element('p', { textContent: why }));
      return;
    }
    for (const adapter of adapters) {
      const option = element(
        'div',
        { id: `adapter-${adapter.instance}` },
        `${adapter.instance}  ${adapter.description ?? '(no DriverDesc)'}`,
        element('small', { textContent: adapter.netCfgInstanceId ?? '' }),
      );
      option.setAttribute('role', 'option');
      option.dataset.instance = adapter.instance;
      this.list.append(option);
    }
    if (adapters.length === 0) this.panel.append(element('p', { textContent: 'This SYSTEM hive has no network adapters.' }));
    const wanted = instance ?? this.instance ?? adapters[0]?.instance;
    if (wanted !== undefined && adapters.some((a) => a.instance === wanted)) this.select(wanted, instance === undefined ? this.keyword : undefined);
  }

  private select(instance: string, keyword?: string): void {
    this.instance = instance;
    for (const option of this.list.querySelectorAll<HTMLElement>('[role=option]'))
      option.setAttribute('aria-selected', String(option.dataset.instance === instance));
    this.list.setAttribute('aria-activedescendant', `adapter-${instance}`);
    this.renderPanel(keyword);
  }

  private renderPanel(keyword?: string): void {
    const session = this.session()!;
    this.panel.replaceChildren();
    const adapter = openNetworkAdapter(new Registry(session.hive), this.instance!);
    const node = adapter.node;
    const desc = valueText(adapter, 'DriverDesc');
    const parameters = adapterParameters(node).sort((a, b) => (a.description ?? a.keyword).localeCompare(b.description ?? b.keyword));
    const path = session.componentsOf(node);
    const goto = element('button', { type: 'button', textContent: 'Show key', title: session.display(path) });
    goto.onclick = () => this.hooks.reveal(path);
    this.panel.append(element('h2', {}, `${this.instance} ${desc ?? ''} — Advanced `, goto));
    if (parameters.length === 0) {
      this.panel.append(element('p', { textContent: 'This adapter has no Ndi\\params: its driver offers no Advanced properties.' }));
      return;
    }
    const picker = element('select', { id: 'adv-property', size: 14, ariaLabel: 'Property' });
    for (const p of parameters) picker.append(element('option', { value: p.keyword, textContent: p.description ?? p.keyword }));
    const valueBox = element('div', { className: 'valuebox' });
    const props = element(
      'div',
      { className: 'props' },
      element('div', {}, element('label', { htmlFor: 'adv-property', textContent: 'Property:' }), picker),
      valueBox,
    );
    this.panel.append(
      element('p', {
        className: 'hint',
        textContent:
          'The following properties are available for this network adapter. Click the property you want to change on the left, and then select its value on the right.',
      }),
      props,
    );
    const choose = (): void => {
      this.keyword = picker.value;
      this.renderValue(valueBox, parameters.find((p) => p.keyword === picker.value)!, node);
    };
    picker.onchange = choose;
    picker.value =
      keyword !== undefined && parameters.some((p) => p.keyword === keyword)
        ? keyword
        : this.keyword !== undefined && parameters.some((p) => p.keyword === this.keyword)
          ? this.keyword
          : parameters[0]!.keyword;
    choose();
  }

  private renderValue(box: HTMLElement, p: AdapterParameter, node: KeyNode): void {
    box.replaceChildren();
    const type = p.type ?? 'edit';
    const current = p.current;
    let field: HTMLInputElement | HTMLSelectElement;
    if (type === 'enum') {
      field = element('select', { id: 'adv-value' });
      for (const c of p.choices ?? []) field.append(element('option', { value: c.value, textContent: c.text }));
      field.value = current ?? p.default ?? p.choices?.[0]?.value ?? '';
    } else {
      field = element('input', { type: 'text', id: 'adv-value', value: current ?? p.default ?? '', spellcheck: false });
      if (type === 'edit' && p.limitText !== undefined) field.maxLength = Number(p.limitText);
    }
    const valueRadio = element('input', { type: 'radio', name: 'adv-present', id: 'adv-present', checked: current !== undefined || !p.optional });
    const absentRadio = element('input', { type: 'radio', name: 'adv-present', id: 'adv-absent', checked: current === undefined && p.optional });
    const message = element('p', { className: 'hint', id: 'adv-message' });
    const apply = element('button', { type: 'button', id: 'adv-apply', textContent: 'Apply' });
    const hints: string[] = [`Keyword ${p.keyword}, type ${type}`];
    if (p.min !== undefined || p.max !== undefined)
      hints.push(`range ${p.min ?? '…'} to ${p.max ?? '…'}${p.step !== undefined ? ` in steps of ${p.step}` : ''}${p.base === '16' ? ' (hex)' : ''}`);
    if (p.limitText !== undefined) hints.push(`at most ${p.limitText} characters`);
    if (p.default !== undefined) hints.push(`default ${p.default}`);
    hints.push(current === undefined ? 'not present in the registry' : `stored: ${current}`);
    box.append(element('label', { htmlFor: 'adv-value', textContent: 'Value:' }));
    if (p.optional) box.append(element('label', {}, valueRadio, ' Value'), field, element('label', {}, absentRadio, ' Not Present'));
    else box.append(field);
    box.append(element('p', { className: 'hint', textContent: hints.join('; ') }), apply, message);
    field.addEventListener('input', () => (valueRadio.checked = true));
    apply.onclick = () => {
      const session = this.session()!;
      const path = session.componentsOf(node);
      try {
        if (p.optional && absentRadio.checked) {
          session.edit(`remove ${p.keyword}`, () => {
            const key = session.key(path)!;
            if (key.value(p.keyword) !== undefined) key.deleteValue(p.keyword);
          });
          this.hooks.status(`${p.keyword} removed (Not Present)`);
        } else {
          const stored = validateParameter(p, p.keyword, field.value);
          session.edit(`set ${p.keyword}`, () => setParameter(session.key(path)!, p.keyword, stored));
          this.hooks.status(`${p.keyword} = ${stored}`);
        }
        this.hooks.changed();
        this.select(this.instance!, p.keyword);
        const note = this.panel.querySelector('#adv-message');
        if (note !== null) {
          note.textContent = 'Applied.';
          note.className = 'hint ok';
        }
      } catch (error) {
        message.textContent = error instanceof Error ? error.message : String(error);
        message.className = 'error';
        this.hooks.status(message.textContent, true);
      }
    };
  }
}
