import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CI } from '../support/corpus.js';

/** Debian's chromium package (.ci/run installs it); never a browser Playwright downloads. */
export const CHROMIUM = '/usr/bin/chromium';

/** Same rule as corpusAvailable: skip with a message, except under CI=true, where absence fails. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (CI) throw new Error(`CI=true but ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`);
  console.warn(`skipping the hive editor page tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

/** The page built by web/build.mjs into a fresh folder (what `npm run build:web` writes to dist/web). */
export async function buildPage(): Promise<{ dir: string; files: string[]; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'netconfig-web-'));
  const { buildWeb } = await import('../../web/build.mjs');
  const files = await buildWeb(dir);
  return { dir, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plain static file server over a folder, on 127.0.0.1, counting what it was asked for. */
export async function serveFolder(dir: string): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const types: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(`${request.method} ${url.pathname}`);
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const path = join(dir, name);
    if (name.includes('/') || name.includes('..') || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': types[name.split('.').pop()!] ?? 'application/octet-stream', 'cache-control': 'no-store' })
      .end(readFileSync(path));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** Chromium with a new empty profile, kept from calling out to Google's services. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}
