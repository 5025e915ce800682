import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CI } from './corpus.js';

/** Debian's chromium package (.ci/run installs it); never a browser Playwright downloads. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Same rule as corpusAvailable: skip with a message naming `what` is skipped, except under CI=true,
 * where absence fails.
 */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (CI) throw new Error(`CI=true but ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`);
  console.warn(`skipping ${what}: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

/**
 * Chromium with a new empty profile (launch() gives every browser a profile directory of its own and
 * removes it on close), kept from calling out to Google's services, which this machine refuses.
 */
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

/** An HTTP server for the page to load from, listening on 127.0.0.1 (a secure context) at a free port. */
export async function serveLocal(listener: RequestListener): Promise<{ server: Server; origin: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes a server from serveLocal, if one was started. */
export function closeServer(server: Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
}
