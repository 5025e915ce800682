import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hive, ValueType, checkHive } from '../../src/hive/index.js';
import { WebUsageError, startWebServer } from '../../src/cli/web.js';
import type { WebServer } from '../../src/cli/web.js';
import { HiveFile } from '../../src/node/index.js';
import { cliBuilt, netconfig } from '../support/cli.js';
import { fixedClock } from '../support/hives.js';
import { buildPage } from './harness.js';

/** `netconfig web`'s server in process: who it answers, what it refuses, and how a save reaches the file. */
let page: Awaited<ReturnType<typeof buildPage>>;
const scratch = mkdtempSync(join(tmpdir(), 'netconfig-web-server-'));
const logged: string[] = [];

beforeAll(async () => {
  page = await buildPage();
}, 60_000);
afterAll(() => {
  page?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function newHive(path: string): void {
  const hive = Hive.create({ clock: fixedClock });
  hive
    .root()
    .addSubkey('Start')
    .setValue('n', ValueType.REG_DWORD, new Uint8Array([1, 0, 0, 0]));
  writeFileSync(path, hive.serialize());
}

/** A raw request (fetch cannot send another Host header). */
function raw(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('netconfig web (the server)', () => {
  it('answers only its own host with the token, serves the hive recovered, refuses garbage and a save over a file another writer changed, and commits through the log', async () => {
    const file = join(scratch, 'ONE.hiv');
    newHive(file);
    const server: WebServer = await startWebServer({ hive: file, pageDir: page.dir, log: (line) => logged.push(line) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}&hive=ONE\.hiv$/);
      const base = server.url.replace(/#.*$/, '');
      const token = new URLSearchParams(server.url.replace(/^.*#/, '')).get('token')!;
      const auth = { 'x-netconfig-token': token };
      // The page is public; the API needs the token and this host (a rebound name is refused even with it).
      expect((await fetch(base)).headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect((await fetch(`${base}api/session`)).status).toBe(403);
      expect((await fetch(`${base}api/session`, { headers: { 'x-netconfig-token': `${token.slice(1)}x` } })).status).toBe(403);
      expect(await raw(server.port, '/api/session', { host: `attacker.example:${server.port}`, ...auth })).toBe(421);
      expect(await (await fetch(`${base}api/session`, { headers: auth })).json()).toEqual({ hives: [{ name: 'ONE.hiv', mount: '' }] });
      expect((await fetch(`${base}api/hive?name=OTHER`, { headers: auth })).status).toBe(404);

      const got = await fetch(`${base}api/hive?name=ONE.hiv`, { headers: auth });
      const hive = Hive.open(new Uint8Array(await got.arrayBuffer()));
      expect(hive.root().subkey('Start')?.value('n')).toBeDefined();
      // Not a hive: refused, the file untouched.
      const before = readFileSync(file);
      const garbage = await fetch(`${base}api/hive?name=ONE.hiv`, { method: 'PUT', headers: auth, body: new Uint8Array(8192) });
      expect(garbage.status).toBe(422);
      expect(await garbage.text()).toMatch(/^not saved: the page sent no valid hive/);
      expect(readFileSync(file).equals(before)).toBe(true);

      // Another writer commits in between: the page's save would lose that, so it is refused.
      const other = HiveFile.openForWriting(file);
      other.hive.root().addSubkey('ByAnotherWriter');
      other.commit();
      other.close();
      hive.root().addSubkey('FromThePage');
      const conflict = await fetch(`${base}api/hive?name=ONE.hiv`, { method: 'PUT', headers: auth, body: hive.serialize() });
      expect(conflict.status).toBe(409);
      expect(await conflict.text()).toMatch(/changed by another writer since the page read it/);

      // Read again, edit, save: committed through ONE.hiv.LOG1, every earlier change kept.
      const again = Hive.open(new Uint8Array(await (await fetch(`${base}api/hive?name=ONE.hiv`, { headers: auth })).arrayBuffer()));
      again.root().addSubkey('FromThePage');
      const saved = await fetch(`${base}api/hive?name=ONE.hiv`, { method: 'PUT', headers: auth, body: again.serialize() });
      expect(saved.status, await saved.clone().text()).toBe(200);
      expect(await saved.text()).toMatch(/^saved .*ONE\.hiv: \d+ page\(s\), \d+ bytes through its log \(sequence \d+\)$/);
      expect(existsSync(`${file}.LOG1`)).toBe(true);
      const onDisk = HiveFile.open(file, { recover: true }).hive;
      expect(
        onDisk
          .root()
          .subkeys()
          .map((k) => k.name),
      ).toEqual(['ByAnotherWriter', 'FromThePage', 'Start']);
      expect(checkHive(readFileSync(file)).filter((v) => v.severity === 'error')).toEqual([]);
      expect(logged.some((line) => line.startsWith('refused a save'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('offers the hives of a Windows image with where they are mounted; refuses bad option combinations and an unbuilt page', async () => {
    const image = join(scratch, 'image');
    mkdirSync(join(image, 'Windows/System32/config'), { recursive: true });
    newHive(join(image, 'Windows/System32/config/SYSTEM'));
    newHive(join(image, 'Windows/System32/config/SOFTWARE'));
    // A user's hives in the case an image copied to Linux may give them: named by where they are mounted.
    mkdirSync(join(image, 'Users/alice/AppData/Local/Microsoft/Windows'), { recursive: true });
    newHive(join(image, 'Users/alice/ntuser.dat'));
    newHive(join(image, 'Users/alice/AppData/Local/Microsoft/Windows/usrclass.dat'));
    const server = await startWebServer({ image, pageDir: page.dir, log: () => {} });
    try {
      const token = new URLSearchParams(server.url.replace(/^.*#/, '')).get('token')!;
      const session = await (await fetch(`${server.url.replace(/#.*$/, '')}api/session`, { headers: { 'x-netconfig-token': token } })).json();
      expect(session).toEqual({
        hives: [
          { name: 'SYSTEM', mount: 'HKEY_LOCAL_MACHINE\\SYSTEM' },
          { name: 'SOFTWARE', mount: 'HKEY_LOCAL_MACHINE\\SOFTWARE' },
          { name: 'HKEY_CURRENT_USER', mount: 'HKEY_CURRENT_USER' },
          { name: 'HKEY_CURRENT_USER\\Software\\Classes', mount: 'HKEY_CURRENT_USER\\Software\\Classes' },
        ],
      });
    } finally {
      await server.close();
    }
    await expect(startWebServer({ hive: 'x', image, pageDir: page.dir })).rejects.toThrow(new WebUsageError('give --hive FILE or --image DIR, not both'));
    await expect(startWebServer({ hive: join(scratch, 'missing.hiv'), pageDir: page.dir })).rejects.toThrow(/^no such hive file: /);
    await expect(startWebServer({ pageDir: join(scratch, 'nowhere') })).rejects.toThrow(/the page is not built .*: run npm run build:web$/);
  });

  it.skipIf(!cliBuilt)('netconfig web refuses a mistyped command line with its usage, exit 1', () => {
    const bogus = netconfig(scratch, 'web', '--bogus');
    expect(bogus.status).toBe(1);
    expect(bogus.stderr).toMatch(/^netconfig web: Unknown option '--bogus'.*\nusage: netconfig web \[--hive FILE \| --image DIR/s);
    const port = netconfig(scratch, 'web', '--port', '99999');
    expect([port.status, port.stderr]).toEqual([1, 'netconfig web: --port takes 0 to 65535 (0: any free port); got 99999\n']);
    expect(netconfig(scratch, 'web', '--hive', join(scratch, 'missing.hiv')).stderr).toMatch(/^netconfig web: no such hive file: /);
    expect(netconfig(scratch, '--help').stdout).toMatch(/^ {2}web {16}The hive editor page on 127\.0\.0\.1/m);
  });
});
