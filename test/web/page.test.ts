import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive } from '../../src/hive/index.js';
import { chromiumAvailable, closeServer, launchChromium } from '../support/chromium.js';
import { CLI, cliBuilt, netconfig } from '../support/cli.js';
import { CI, corpusAvailable, corpusPath } from '../support/corpus.js';
import { fixedClock } from '../support/hives.js';
import { hivexDump, oraclesAvailable } from '../support/oracles.js';
import { buildPage, serveFolder } from './harness.js';

/**
 * The hive editor page in Debian's Chromium, driven as a person would: files given to the page's file
 * input, paths typed into the address bar, keys pressed, dialogs filled; what it saves is checked by
 * hivex (an independent reader) and `netconfig check`. Screenshots of each view go to
 * test/web/screenshots/ (git-ignored) to be looked at.
 */
const enabled = corpusAvailable() && chromiumAvailable('the hive editor page tests') && cliBuilt && oraclesAvailable('hivexDump');
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const ADAPTER_PATH = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e972-e325-11ce-bfc1-08002be10318}\\0007';
const ADAPTER_COMPONENTS = ['ControlSet001', 'Control', 'Class', '{4D36E972-E325-11CE-BFC1-08002BE10318}', '0007'];

type Timings = { openMs?: number; paintMs?: number; findMs?: number };

describe.skipIf(!enabled)('the hive editor page in Debian Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: Server;
  let origin = '';
  let served: string[] = [];
  let built: Awaited<ReturnType<typeof buildPage>>;
  const scratch = mkdtempSync(join(tmpdir(), 'netconfig-web-page-'));
  /** Every request any page made, and every page error: both must stay empty of the unexpected. */
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    built = await buildPage();
    ({ server, origin, requests: served } = await serveFolder(built.dir));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.on('request', (request) => requests.push(request.url()));
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
    built?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await page.goto(`${origin}/`);
    return page;
  }

  const timings = (page: Page): Promise<Timings> => page.evaluate(() => (globalThis as unknown as { __hiveEditor: { timings: Timings } }).__hiveEditor.timings);

  async function saveDownload(page: Page, name: string): Promise<string> {
    const download = page.waitForEvent('download');
    await page.click('[data-action=save]');
    const file = join(scratch, name);
    await (await download).saveAs(file);
    return file;
  }

  // The SYSTEM hive's page and what it measured, shared by the two tests over it (each stays short).
  let page: Page;
  const system = join(scratch, 'SYSTEM');
  let opened: Timings = {};
  let expandMs = 0;
  let biggestRows = 0;

  it('SYSTEM: opens it, goes to an adapter by its typed path, changes *JumboPacket in the Advanced view, saves a hive hivex and netconfig check accept', async () => {
    copyFileSync(corpusPath('regipy/SYSTEM.xz'), system);
    page = await newPage();
    await page.screenshot({ path: join(SHOTS, '0-welcome.png') });

    await page.setInputFiles('#open-input', system);
    await page.waitForSelector('#tree .row[aria-level="2"]');
    await expect.poll(async () => (await timings(page)).paintMs).toBeDefined();
    opened = await timings(page);
    expect(await page.getAttribute('#tree-row-0', 'aria-expanded')).toBe('true');
    expect(await page.textContent('#tree-row-0')).toContain('HKEY_LOCAL_MACHINE\\SYSTEM');

    // Typed into the address bar, resolved through CurrentControlSet like the CLI.
    await page.fill('#address', ADAPTER_PATH);
    await page.press('#address', 'Enter');
    await expect.poll(() => page.inputValue('#address')).toBe(`HKEY_LOCAL_MACHINE\\SYSTEM\\${ADAPTER_COMPONENTS.join('\\')}`);
    expect(await page.textContent('#values [data-name="*JumboPacket"]')).toContain('1514');
    expect(await page.textContent('#values [data-name="*IfType"]')).toContain('0x00000006 (6)');
    const tree = await page.$eval('#tree', (el) => ({ role: el.getAttribute('role'), active: el.getAttribute('aria-activedescendant') }));
    expect(tree.role).toBe('tree');
    expect(await page.getAttribute(`#${tree.active}`, 'aria-selected')).toBe('true');
    expect(await page.textContent(`#${tree.active}`)).toContain('0007');
    await page.screenshot({ path: join(SHOTS, '1-registry.png') });

    // Keyboard: Left goes to the parent ({4D36E972…}), Right expands, Down enters the first child.
    await page.focus('#tree');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.inputValue('#address')).toMatch(/\\\{4D36E972-E325-11CE-BFC1-08002BE10318\}$/);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.inputValue('#address')).toMatch(/\\0000$/);
    // Expanding the key with the most subkeys in this hive (CriticalDeviceDatabase: 2,548) is measured in the page.
    await page.fill('#address', 'HKLM\\SYSTEM\\ControlSet001\\Control\\CriticalDeviceDatabase');
    await page.press('#address', 'Enter');
    await page.focus('#tree');
    await page.keyboard.press('ArrowRight');
    expandMs = await page.evaluate(() => (globalThis as unknown as { __hiveEditor: { expandMs: () => number } }).__hiveEditor.expandMs());
    biggestRows = await page.$eval('#tree', (el) => {
      const active = Number(el.getAttribute('aria-activedescendant')!.replace('tree-row-', ''));
      return Number(el.querySelector(`#tree-row-${active + 1}`)!.getAttribute('aria-setsize'));
    });
    expect(biggestRows).toBe(2548);
    expect(await page.getAttribute(`#${await page.getAttribute('#tree', 'aria-activedescendant')}`, 'aria-expanded')).toBe('true');

    // The Advanced view of that adapter: the enum offers the driver's choices; a value outside them is refused as adapter set refuses it.
    await page.fill('#address', ADAPTER_PATH);
    await page.press('#address', 'Enter');
    await page.click('[data-action=advanced]');
    await page.waitForSelector('#adv-property');
    await page.selectOption('#adv-property', '*JumboPacket');
    const choices = await page.$$eval('#adv-value option', (options) => options.map((o) => o.getAttribute('value')));
    expect(choices).toEqual(['1514', '4088', '9014', '16128']);
    await page.selectOption('#adv-value', '9014');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#status')).toBe('*JumboPacket = 9014');
    // A numeric property with a range: out of range is refused with adapter set's message.
    await page.selectOption('#adv-property', '*ReceiveBuffers');
    await page.fill('#adv-value', '7');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#adv-message')).toMatch(/^\*ReceiveBuffers must be between \d+ and \d+; got 7$/);
    await page.fill('#adv-value', '81');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#adv-message')).toBe('*ReceiveBuffers goes in steps of 8 from 80; got 81');
    // An optional edit property, not present: a multicast address is refused, a unicast one stored upper-cased;
    // "Not Present" removes it, and Undo brings it back.
    await page.selectOption('#adv-property', 'NetworkAddress');
    expect(await page.isChecked('#adv-absent')).toBe(true);
    await page.fill('#adv-value', '010000000001');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#adv-message')).toMatch(/^NetworkAddress 010000000001 is a multicast address/);
    await page.fill('#adv-value', '02aabbccddee');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#status')).toBe('NetworkAddress = 02AABBCCDDEE');
    await page.check('#adv-absent');
    await page.click('#adv-apply');
    await expect.poll(() => page.textContent('#status')).toBe('NetworkAddress removed (Not Present)');
    expect(await page.isChecked('#adv-absent')).toBe(true);
    await page.click('[data-action=undo]');
    await expect.poll(() => page.isChecked('#adv-present')).toBe(true);
    expect(await page.inputValue('#adv-value')).toBe('02AABBCCDDEE');
    await page.selectOption('#adv-property', '*JumboPacket');
    await page.screenshot({ path: join(SHOTS, '2-adapters.png') });

    // Save: a download of the whole hive, checked by hivex and by netconfig check.
    const saved = await saveDownload(page, 'SYSTEM.saved');
    const dump = hivexDump(saved);
    expect(dump.status, dump.stderr).toBe(0);
    const adapterLine = dump.stdout
      .split('\n')
      .find((line) => line.includes('"\\\\ControlSet001\\\\Control\\\\Class\\\\{4D36E972-E325-11CE-BFC1-08002BE10318}\\\\0007"'));
    expect(adapterLine, 'the adapter key in hivex-dump.py').toBeDefined();
    // *JumboPacket as REG_SZ "9014" (UTF-16LE with its NUL): 39 00 30 00 31 00 34 00 00 00.
    expect(adapterLine).toMatch(/\["\*JumboPacket", 1, "39003000310034000000"\]/);
    const check = netconfig(scratch, 'check', saved);
    expect(check.stdout).toBe('');
    expect(check.status, check.stderr).toBe(0);
    const get = netconfig(scratch, 'adapter', 'get', '0007', '*JumboPacket', '--hive', saved);
    expect(get.stdout.trim()).toBe('9014');
    expect(netconfig(scratch, 'adapter', 'get', '0007', 'NetworkAddress', '--hive', saved).stdout.trim()).toBe('02AABBCCDDEE');
  }, 60_000);

  it('SYSTEM, continued: exports .reg as the CLI, finds (Ctrl+F, F3), shows the check and stat facts; the largest corpus SYSTEM hive opens as fast', async () => {
    const saved = join(scratch, 'SYSTEM.saved');
    // Export .reg of the selected key: the same bytes as netconfig reg export of the same path.
    await page.click('#tab-registry');
    const exported = page.waitForEvent('download');
    await page.click('[data-action=export]');
    const regFile = join(scratch, 'page.reg');
    await (await exported).saveAs(regFile);
    const cliReg = join(scratch, 'cli.reg');
    const cli = netconfig(scratch, 'reg', 'export', `HKEY_LOCAL_MACHINE\\SYSTEM\\${ADAPTER_COMPONENTS.join('\\')}`, cliReg, '/y', '--hive', saved);
    expect(cli.status, cli.stderr).toBe(0);
    expect(readFileSync(regFile).equals(readFileSync(cliReg))).toBe(true);

    // Find (Ctrl+F, then F3 for the next), as reg query /f /v /e.
    await page.focus('#tree');
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+f');
    await page.fill('#find-text', '*JumboPacket');
    await page.uncheck('#find-keys');
    await page.uncheck('#find-data');
    await page.check('#find-whole');
    await page.click('#dialog-ok');
    await expect.poll(() => page.textContent('#status')).toMatch(/^found .*\\0007 → \*JumboPacket/);
    expect(await page.getAttribute('#values [data-name="*JumboPacket"]', 'aria-selected')).toBe('true');
    await page.keyboard.press('F3');
    await expect.poll(() => page.textContent('#status')).toMatch(/^found .*\\0012 → \*JumboPacket/);
    await page.screenshot({ path: join(SHOTS, '3-find.png') });
    // A search that matches nothing reads the whole hive: keys, value names and every value's data.
    await page.focus('#tree');
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+f');
    await page.fill('#find-text', 'no such text anywhere 7f3a');
    await page.check('#find-keys');
    await page.check('#find-data');
    await page.uncheck('#find-whole');
    await page.click('#dialog-ok');
    await expect.poll(() => page.textContent('#status')).toMatch(/^Finished searching the registry: no more "no such text anywhere 7f3a"/);
    const found = await timings(page);
    // A hex-digit pattern also reads every binary value as reg query prints it (hex text).
    await page.keyboard.press('Control+f');
    await page.fill('#find-text', 'deadbeefcafe1234');
    await page.click('#dialog-ok');
    await expect.poll(() => page.textContent('#status')).toMatch(/^Finished searching the registry: no more "deadbeefcafe1234"/);
    const foundHex = await timings(page);

    // Check view: stat facts and the validator's verdict.
    await page.click('#tab-check');
    await expect.poll(() => page.textContent('#check-summary')).toBe('clean');
    expect(await page.textContent('#facts')).toContain('30756');
    // The sequence numbers as the file held them (saving and undo snapshots move the in-memory ones on).
    expect(await page.textContent('#facts')).toContain('13983 / 13983');
    await page.screenshot({ path: join(SHOTS, '4-check.png') });

    // The largest SYSTEM hive of the corpus (SYSTEM_B after its logs, 35,595 keys): open to root.
    const large = join(scratch, 'SYSTEM_B');
    copyFileSync(corpusPath('yarp-recovered/SYSTEM_B.recovered.xz'), large);
    await page.setInputFiles('#open-input', large);
    await expect.poll(() => page.textContent('#status')).toMatch(/^SYSTEM_B: mounted at HKEY_LOCAL_MACHINE\\SYSTEM/);
    const largeOpened = await timings(page);
    await page.close();

    console.log(
      `hive editor, regipy/SYSTEM (${readFileSync(system).length} bytes, 30756 keys) in Chromium ${browser.version()}: ` +
        `open to root shown ${opened.openMs!.toFixed(0)} ms (painted ${opened.paintMs!.toFixed(0)} ms), expand CriticalDeviceDatabase ${expandMs.toFixed(1)} ms (${biggestRows} subkeys), ` +
        `find over the whole hive (keys, names, data; no match) ${found.findMs!.toFixed(0)} ms, with a hex pattern ${foundHex.findMs!.toFixed(0)} ms; ` +
        `yarp-recovered/SYSTEM_B (${readFileSync(large).length} bytes, 35595 keys) open to root shown ${largeOpened.openMs!.toFixed(0)} ms`,
    );
    // The targets of issue 12, with room for a loaded machine: root ≤ 300 ms, expand ≤ 50 ms, find ≤ 1 s.
    expect(opened.openMs!).toBeLessThan(CI ? 1500 : 600);
    expect(opened.paintMs!).toBeLessThan(CI ? 2000 : 800);
    expect(largeOpened.openMs!).toBeLessThan(CI ? 1500 : 600);
    expect(expandMs).toBeLessThan(CI ? 250 : 100);
    expect(found.findMs!).toBeLessThan(CI ? 5000 : 2000);
    expect(foundHex.findMs!).toBeLessThan(CI ? 5000 : 2000);
  }, 60_000);

  it('edits a new hive: a key created, renamed and deleted, a value of each type created, refused, renamed and deleted, undo, and saves it', async () => {
    const file = join(scratch, 'EDIT.hiv');
    writeFileSync(file, Hive.create({ clock: fixedClock }).serialize());
    const page = await newPage();
    // Dropped on the page, as from a file manager.
    const dropped = readFileSync(file).toString('base64');
    await page.evaluate(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob('${dropped}'), (c) => c.charCodeAt(0))], 'EDIT.hiv'));
      document.querySelector('#drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    })()`);
    await page.waitForSelector('#tree-row-0');

    const dialogOk = async (): Promise<void> => {
      await page.click('#dialog-ok');
      await page.waitForSelector('#dialog', { state: 'hidden' });
    };
    // Keys: New, Rename (F2), a subkey, Delete (Del) with its confirmation.
    await page.click('[data-action=new-key]');
    expect(await page.inputValue('#edit-name')).toBe('New Key #1');
    await page.fill('#edit-name', 'Alpha');
    await dialogOk();
    await expect.poll(() => page.inputValue('#address')).toBe('HKEY_LOCAL_MACHINE\\EDIT.hiv\\Alpha');
    await page.focus('#tree');
    await page.keyboard.press('F2');
    await page.fill('#edit-name', 'Beta');
    await dialogOk();
    await expect.poll(() => page.inputValue('#address')).toBe('HKEY_LOCAL_MACHINE\\EDIT.hiv\\Beta');
    await page.click('[data-action=new-key]');
    await page.fill('#edit-name', 'Doomed');
    await dialogOk();
    await page.focus('#tree');
    await page.keyboard.press('Delete');
    expect(await page.textContent('#dialog-title')).toBe('Confirm Key Delete');
    await dialogOk();
    await expect.poll(() => page.inputValue('#address')).toBe('HKEY_LOCAL_MACHINE\\EDIT.hiv\\Beta');

    // A value of each type regedit creates; a refused one first (reg add's message), then a good one.
    const create = async (type: number, name: string, fill: () => Promise<void>): Promise<void> => {
      await page.selectOption('#new-value-type', String(type));
      await page.fill('#edit-name', name);
      await fill();
      await dialogOk();
    };
    await page.selectOption('#new-value-type', String(ValueType.REG_DWORD));
    await page.fill('#edit-name', 'Bad');
    await page.fill('#edit-data', 'zz');
    await page.click('#dialog-ok');
    expect(await page.textContent('#dialog-error')).toMatch(/^ERROR: \/d "0xzz" is not REG_DWORD data\./);
    await page.click('#dialog-cancel');
    await create(ValueType.REG_SZ, 'Text', () => page.fill('#edit-data', 'hello'));
    await create(ValueType.REG_EXPAND_SZ, 'Expand', () => page.fill('#edit-data', '%SystemRoot%\\x'));
    await create(ValueType.REG_MULTI_SZ, 'Multi', () => page.fill('#edit-data', 'one\ntwo'));
    await create(ValueType.REG_DWORD, 'Dword', () => page.fill('#edit-data', '2a'));
    await create(ValueType.REG_QWORD, 'Qword', async () => {
      await page.check('#base-dec');
      await page.fill('#edit-data', '1234567890123');
    });
    await create(ValueType.REG_BINARY, 'Blob', () => page.fill('#edit-data', 'de ad be ef'));
    expect(await page.textContent('#values [data-name="Multi"] span:nth-child(3)')).toBe('one\ntwo');
    expect(await page.textContent('#values [data-name="Dword"] span:nth-child(3)')).toBe('0x0000002a (42)');
    expect(await page.textContent('#values [data-name="Qword"] span:nth-child(3)')).toBe('0x0000011f71fb04cb (1234567890123)');
    expect(await page.textContent('#values [data-name="Blob"] span:nth-child(3)')).toBe('de ad be ef');
    await page.click('#values [data-name="Blob"]');
    expect(await page.textContent('#detail')).toContain('00000000  de ad be ef');
    await page.screenshot({ path: join(SHOTS, '5-values.png') });

    // Modify (Enter), rename (F2) and delete (Del) a value from the keyboard; undo the delete.
    await page.click('#values [data-name="Text"]');
    await page.keyboard.press('Enter');
    await page.fill('#edit-data', 'hello, world');
    await page.screenshot({ path: join(SHOTS, '6-edit-dialog.png') });
    await dialogOk();
    await page.keyboard.press('F2');
    await page.fill('#edit-name', 'Greeting');
    await dialogOk();
    await page.click('#values [data-name="Expand"]');
    await page.keyboard.press('Delete');
    await dialogOk();
    expect(await page.$('#values [data-name="Expand"]')).toBeNull();
    await page.click('[data-action=undo]');
    await expect.poll(() => page.$('#values [data-name="Expand"]').then((e) => e !== null)).toBe(true);

    const saved = Hive.open(readFileSync(await saveDownload(page, 'EDIT.saved')));
    expect(checkHive(saved.serialize()).filter((v) => v.severity === 'error')).toEqual([]);
    const beta = saved.root().subkey('Beta')!;
    expect(saved.root().subkey('Alpha')).toBeUndefined();
    expect(beta.subkey('Doomed')).toBeUndefined();
    const values = Object.fromEntries(beta.values().map((v) => [v.name, [v.type, Buffer.from(v.data()).toString('hex')]]));
    const utf16 = (text: string): string => Buffer.from(`${text}\0`, 'utf16le').toString('hex');
    expect(values).toEqual({
      Greeting: [ValueType.REG_SZ, utf16('hello, world')],
      Expand: [ValueType.REG_EXPAND_SZ, utf16('%SystemRoot%\\x')],
      Multi: [ValueType.REG_MULTI_SZ, Buffer.from('one\0two\0\0', 'utf16le').toString('hex')],
      Dword: [ValueType.REG_DWORD, '2a000000'],
      Qword: [ValueType.REG_QWORD, 'cb04fb711f010000'],
      Blob: [ValueType.REG_BINARY, 'deadbeef'],
    });
    await page.close();
  }, 60_000);

  it('offers recovery for a dirty hive given with its logs and shows the recovered state', async () => {
    const page = await newPage();
    const dir = corpusPath('yarp/NewDirtyHive1/NewDirtyHive').replace(/NewDirtyHive$/, '');
    // Alone, it is shown as it is, with a way to add its logs afterwards.
    await page.setInputFiles('#open-input', join(dir, 'NewDirtyHive'));
    await expect.poll(() => page.textContent('#banner')).toMatch(/NewDirtyHive is dirty \(.*\) and no logs were given: showing the file as it is/);
    const asIs = await page.$$eval('#tree .row[aria-level="2"]', (rows) => rows.map((row) => row.textContent));
    expect(asIs).toContain('Key1');
    const chooser = page.waitForEvent('filechooser');
    await page.click('#add-logs');
    await (await chooser).setFiles(['NewDirtyHive.LOG1', 'NewDirtyHive.LOG2'].map((name) => join(dir, name)));
    await page.waitForSelector('#recover');
    expect(await page.textContent('#banner')).toMatch(/NewDirtyHive is dirty \(its sequence numbers differ \(3 ≠ 2\)\)/);
    await page.screenshot({ path: join(SHOTS, '7-recovery-offer.png') });
    await page.click('#recover');
    await page.waitForSelector('#recovered-note');
    // Windows 10's own recovery (corpus README): Key1 and Key2 gone, Key3\Key3_1..3 present.
    const names = await page.$$eval('#tree .row[aria-level="2"]', (rows) => rows.map((row) => row.textContent));
    expect(names).not.toContain('Key1');
    expect(names).toContain('Key3');
    await page.fill('#address', '\\Key3\\Key3_2');
    await page.press('#address', 'Enter');
    await expect.poll(() => page.inputValue('#address')).toMatch(/\\Key3\\Key3_2$/);
    await page.screenshot({ path: join(SHOTS, '8-recovered.png') });

    // A hive with a broken bin chain opens read-only, what can be read shown, nothing writable.
    await page.setInputFiles('#open-input', corpusPath('regipy/corrupted_system_hive'));
    await expect.poll(() => page.textContent('#banner')).toMatch(/^Read-only: (?!read-only).*problem\(s\) skipped\)$/);
    expect(await page.isDisabled('[data-action=save]')).toBe(true);
    expect(await page.isDisabled('[data-action=new-key]')).toBe(true);
    await page.close();
  }, 60_000);

  it('netconfig web serves the page on 127.0.0.1 and commits a save through the log; requests carry the token', async () => {
    const file = join(scratch, 'SERVED.hiv');
    writeFileSync(file, Hive.create({ clock: fixedClock }).serialize());
    const child: ChildProcess = spawn(process.execPath, [CLI, 'web', '--hive', file], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('http://127.0.0.1:'));
          if (line !== undefined) resolve(line.trim());
        });
        child.once('exit', (code) => reject(new Error(`netconfig web exited with ${code}`)));
      });
      const base = url.replace(/#.*$/, '');
      // Without the token the API answers nothing; with another Host it answers nothing either.
      expect((await fetch(`${base}api/session`)).status).toBe(403);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      await page.goto(url);
      await page.waitForSelector('#tree-row-0');
      await page.click('[data-action=new-key]');
      await page.fill('#edit-name', 'FromThePage');
      await page.click('#dialog-ok');
      await page.click('[data-action=save]');
      await expect.poll(() => page.textContent('#status')).toMatch(/^saved .*SERVED\.hiv: \d+ page\(s\), \d+ bytes through its log/);
      await page.close();
      const query = netconfig(scratch, 'reg', 'query', 'HKLM\\SERVED\\FromThePage', '--hive', file, '--mount', 'HKLM\\SERVED');
      expect(query.status, query.stderr).toBe(0);
      expect(netconfig(scratch, 'check', file).status).toBe(0);
    } finally {
      child.kill();
    }
  }, 60_000);

  it('made no network request beyond the page’s own files, and no page error', () => {
    const foreign = requests.filter(
      (url) =>
        !url.startsWith(`${origin}/`) &&
        !url.startsWith('blob:') &&
        !/^http:\/\/127\.0\.0\.1:\d+\/(#.*|app\.js|app\.css|api\/(session|hive\?name=SERVED\.hiv))?$/.test(url),
    );
    expect(foreign).toEqual([]);
    const own = requests.filter((url) => url.startsWith(`${origin}/`));
    expect(new Set(own.map((url) => url.replace(origin, '')))).toEqual(new Set(['/', '/app.css', '/app.js']));
    expect(new Set(served)).toEqual(new Set(['GET /', 'GET /app.css', 'GET /app.js']));
    expect(errors).toEqual([]);
  });
});
