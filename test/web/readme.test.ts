import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, cliBuilt } from '../support/cli.js';

/**
 * The README's "hive editor in your browser" commands, run as written in a scratch copy of the project
 * with `netconfig` on PATH: the build exits 0 and writes the page, and the two servers (which run until
 * stopped) serve it — `netconfig web` with its token, the static server with nothing but the page.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function commands(): string[] {
  const section = /## The hive editor in your browser\n([\s\S]*?)\n## /.exec(README)![1]!;
  return /```sh\n([\s\S]*?)```/
    .exec(section)![1]!
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/\s+#.*$/, '').trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a long-running command; resolves with its first stdout line matching `ready` (or when `poll` answers). */
async function startServer(command: string, cwd: string, env: NodeJS.ProcessEnv, ready: (out: string) => string | undefined) {
  const child = spawn('sh', ['-c', `exec ${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const found = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: not ready after 20 s: ${out}`)), 20_000);
    const check = (chunk: Buffer): void => {
      out += chunk.toString();
      const hit = ready(out);
      if (hit !== undefined) {
        clearTimeout(timer);
        resolve(hit);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
  return { child, found };
}

describe.skipIf(!cliBuilt)('README: the hive editor in your browser', () => {
  it('builds the page and serves it with netconfig web and with a plain static file server', async () => {
    const list = commands();
    expect(list).toHaveLength(4);
    expect(list[0]).toBe('npm run build:web');
    const copy = mkdtempSync(join(tmpdir(), 'netconfiguration-web-readme-'));
    const children: ReturnType<typeof spawn>[] = [];
    try {
      for (const entry of ['src', 'web', 'package.json']) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      mkdirSync(join(copy, 'bin'));
      writeFileSync(join(copy, 'bin/netconfig'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
      chmodSync(join(copy, 'bin/netconfig'), 0o755);
      const env = {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
        PATH: `${join(copy, 'bin')}:${process.env.PATH}`,
        PYTHONUNBUFFERED: '1',
      };
      for (const command of list.slice(0, 2)) {
        const result = spawnSync('sh', ['-c', command], { cwd: copy, env, encoding: 'utf8', timeout: 60_000 });
        expect(result.status, `${command}: ${result.stderr}`).toBe(0);
      }
      for (const file of ['index.html', 'app.js', 'app.css']) expect(existsSync(join(copy, 'dist/web', file)), file).toBe(true);

      // netconfig web: the address it prints serves the page, and the API answers with the token only.
      const web = await startServer(list[2]!, copy, env, (out) => /^(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(out)?.[1]);
      children.push(web.child);
      const base = web.found.replace(/#.*$/, '');
      const token = new URLSearchParams(web.found.replace(/^.*#/, '')).get('token')!;
      expect(await (await fetch(base)).text()).toContain('<title>Hive editor');
      expect((await fetch(`${base}api/session`)).status).toBe(403);
      expect(await (await fetch(`${base}api/session`, { headers: { 'x-netconfig-token': token } })).json()).toEqual({
        hives: [{ name: 'demo.hiv', mount: '' }],
      });

      // The static page from a plain file server (the port made free for this run).
      const port = await freePort();
      const staticCommand = list[3]!.replaceAll('8123', String(port));
      const plain = await startServer(staticCommand, copy, env, (out) => (/Serving HTTP/.test(out) ? 'up' : undefined));
      children.push(plain.child);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(join(copy, 'dist/web/index.html'), 'utf8'));
      expect((await fetch(`http://127.0.0.1:${port}/app.js`)).status).toBe(200);
    } finally {
      for (const child of children) child.kill();
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
