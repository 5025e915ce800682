/**
 * One modal dialog for every editor: fields, an OK that runs the change and keeps the dialog open with
 * the error when the change is refused (the CLI's message), Cancel and Escape to leave.
 */
export class DialogBox {
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error: HTMLElement;
  private readonly ok: HTMLButtonElement;
  private onOk: (() => void) | undefined;
  private done: ((ok: boolean) => void) | undefined;

  constructor(private readonly element: HTMLDialogElement) {
    this.title = element.querySelector('#dialog-title')!;
    this.body = element.querySelector('#dialog-body')!;
    this.error = element.querySelector('#dialog-error')!;
    this.ok = element.querySelector('#dialog-ok')!;
    element.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    element.querySelector('#dialog-cancel')!.addEventListener('click', () => this.finish(false));
    element.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.finish(false);
    });
  }

  /** True while the dialog is shown. */
  get open(): boolean {
    return this.element.open;
  }

  /** Shows the dialog; resolves true once `onOk` ran without throwing, false on Cancel. */
  run(title: string, fields: HTMLElement[], onOk: () => void, okLabel = 'OK'): Promise<boolean> {
    this.title.textContent = title;
    this.body.replaceChildren(...fields);
    this.error.textContent = '';
    this.ok.textContent = okLabel;
    this.onOk = onOk;
    this.element.showModal();
    const first = this.body.querySelector<HTMLElement>('input:not([readonly]), textarea, select');
    if (first !== null) {
      first.focus();
      if (first instanceof HTMLInputElement && first.type === 'text') first.select();
    } else this.ok.focus();
    return new Promise((resolve) => {
      this.done = resolve;
    });
  }

  private submit(): void {
    try {
      this.onOk?.();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
      return;
    }
    this.finish(true);
  }

  private finish(ok: boolean): void {
    if (this.element.open) this.element.close();
    const done = this.done;
    this.done = undefined;
    this.onOk = undefined;
    done?.(ok);
  }
}
