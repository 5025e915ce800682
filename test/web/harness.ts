import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveLocal } from '../support/chromium.js';

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
  const { server, origin } = await serveLocal((request, response) => {
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
  return { server, origin, requests };
}
