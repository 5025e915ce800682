import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Hive, checkHive } from '../hive/index.js';
import { HiveFile, locateImageHives } from '../node/index.js';

/**
 * `netconfig web [--hive FILE | --image DIR] [--port N]`: serves the hive editor page (dist/web, built by
 * `npm run build:web`) on 127.0.0.1 only. A hive named here is read as every command reads it (logs
 * beside a dirty one replayed) and the page's Save commits it through the same locked, logged,
 * crash-safe commit as `netconfig reg add` (HiveFile.openForWriting + commit: NAME.LOG1 first, then the
 * primary). Nothing else is reachable: the API answers only requests that carry the random token of
 * this run (given to the page in the address's #fragment, which browsers never send) and name this
 * host and port (a page on another site cannot read it, and a DNS-rebound name is refused).
 */

/** What `netconfig web` was asked to serve. */
export interface WebOptions {
  hive?: string;
  image?: string;
  user?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Seconds to wait for another writer's lock when saving (default 10, as adapter set). */
  wait?: number;
  /** The built page (default: dist/web beside this module's dist/cli). */
  pageDir?: string;
  /** One line per save or refusal (default: stderr). */
  log?: (line: string) => void;
}

/** A running `netconfig web`. */
export interface WebServer {
  /** The page's address, token included. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A mistyped `netconfig web` command line. */
export class WebUsageError extends Error {
  readonly code = 'WEB_USAGE';
}

interface ServedHive {
  name: string;
  mount: string;
  path: string;
  /** SHA-256 of the bins (after the first bin's header, which holds a save time) last sent or saved: a save over a file changed meanwhile is refused. */
  digest?: string;
}

const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
/** A hive is at most 2 GiB of bins (regf.md §9); a request body beyond that is not a hive. */
const MAX_BODY = 0x80000000;

/** SHA-256 of the hive's bins after the first bin's header, read in place (no serialized copy). */
function binsDigest(hive: Hive): string {
  return createHash('sha256')
    .update(hive.bytes.subarray(4096 + 32, 4096 + hive.hiveBinsSize))
    .digest('hex');
}

function send(response: ServerResponse, status: number, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
    'content-length': String(bytes.length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(bytes);
}

function readBody(request: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY) {
        reject(new Error('the body is larger than any hive'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolvePromise(new Uint8Array(Buffer.concat(chunks, length))));
    request.on('error', reject);
  });
}

/** The hives a command line names: one file, or the hives of a Windows image. */
function servedHives(options: WebOptions): ServedHive[] {
  if (options.hive !== undefined && options.image !== undefined) throw new WebUsageError('give --hive FILE or --image DIR, not both');
  if (options.hive !== undefined) {
    if (!existsSync(options.hive)) throw new WebUsageError(`no such hive file: ${options.hive}`);
    return [{ name: basename(options.hive), mount: '', path: resolve(options.hive) }];
  }
  if (options.image !== undefined) {
    const { hives } = locateImageHives(options.image, options.user);
    // Machine hives by file name; a user's (NTUSER.DAT, UsrClass.dat, in whatever case the image has) by where it is mounted.
    return hives.map((h) => ({ name: h.at.startsWith('HKEY_CURRENT_USER') ? h.at : basename(h.file), mount: h.at, path: h.file }));
  }
  return [];
}

/**
 * Starts the server; resolves once it listens.
 * @throws {WebUsageError} a bad combination of options or a missing file
 */
export async function startWebServer(options: WebOptions = {}): Promise<WebServer> {
  const hives = servedHives(options);
  const pageDir = options.pageDir ?? fileURLToPath(new URL('../web/', import.meta.url));
  if (!existsSync(join(pageDir, 'index.html'))) throw new WebUsageError(`the page is not built (${pageDir} has no index.html): run npm run build:web`);
  const log = options.log ?? ((line: string) => process.stderr.write(`netconfig web: ${line}\n`));
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;

  const authorized = (request: IncomingMessage): boolean => {
    const given = Buffer.from(String(request.headers['x-netconfig-token'] ?? ''));
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  };
  const find = (url: URL): ServedHive | undefined => hives.find((h) => h.name === url.searchParams.get('name'));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Only this host and port: a page served elsewhere that rebinds its name to 127.0.0.1 is refused.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(response, 421, 'wrong host');
    const url = new URL(request.url ?? '/', `http://${host}`);
    const page = PAGE_FILES[url.pathname];
    if (page !== undefined && request.method === 'GET') {
      return send(response, 200, readFileSync(join(pageDir, page)), {
        'content-type': TYPES[page.split('.').pop()!]!,
        'content-security-policy':
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      });
    }
    if (!url.pathname.startsWith('/api/')) return send(response, 404, 'not found');
    if (!authorized(request)) return send(response, 403, 'this request does not carry the token of this netconfig web run (open the address it printed)');
    if (url.pathname === '/api/session' && request.method === 'GET') {
      return send(response, 200, JSON.stringify({ hives: hives.map((h) => ({ name: h.name, mount: h.mount })) }), { 'content-type': 'application/json' });
    }
    if (url.pathname !== '/api/hive') return send(response, 404, 'not found');
    const served = find(url);
    if (served === undefined) return send(response, 404, `no hive named ${url.searchParams.get('name')} is served`);
    if (request.method === 'GET') {
      const file = HiveFile.open(served.path, { recover: true });
      const image = file.hive.serialize();
      served.digest = binsDigest(file.hive);
      if (file.recovery !== undefined) log(`${served.path} was dirty; sent with its logs replayed (a save makes that durable)`);
      return send(response, 200, image, { 'x-netconfig-file': basename(served.path) });
    }
    if (request.method !== 'PUT') return send(response, 405, 'GET or PUT');
    const body = await readBody(request);
    let hive: Hive;
    try {
      hive = Hive.open(body, { adopt: true });
    } catch (error) {
      return send(response, 422, `not saved: the page sent no valid hive (${(error as Error).message})`);
    }
    const errors = checkHive(hive.bytes.subarray(0, 4096 + hive.hiveBinsSize)).filter((v) => v.severity === 'error');
    if (errors.length > 0)
      return send(response, 422, `not saved: the validator found ${errors.length} error(s), first: ${errors[0]!.rule}: ${errors[0]!.message}`);
    const file = HiveFile.openForWriting(served.path, { recover: true, wait: options.wait ?? 10 });
    try {
      if (served.digest !== undefined && binsDigest(file.hive) !== served.digest) {
        log(`refused a save of ${served.path}: it changed since the page read it`);
        return send(response, 409, `not saved: ${served.path} was changed by another writer since the page read it; reload the page to edit the new state`);
      }
      file.replaceHive(hive);
      const result = file.commit();
      served.digest = binsDigest(hive);
      const line = `saved ${served.path}: ${result.pages} page(s), ${result.bytesWritten} bytes through its log (sequence ${result.sequence})`;
      log(line);
      return send(response, 200, line);
    } finally {
      file.close();
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`error: ${(error as Error).message}`);
      if (!response.headersSent) send(response, 500, `not saved: ${(error as Error).message}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  const first = hives[0] === undefined ? '' : `&hive=${encodeURIComponent(hives[0].name)}`;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}${first}`,
    port,
    close: () => new Promise<void>((resolvePromise) => server.close(() => resolvePromise())),
  };
}

/** Usage of `netconfig web`, for --help and usage errors. */
export const WEB_USAGE = 'netconfig web [--hive FILE | --image DIR [--user NAME]] [--port N] [--wait SECONDS]';

/**
 * `netconfig web …` from the command line: starts the server, prints the address to open and keeps
 * running until interrupted. Returns 0 once listening starts (the process stays alive for the server).
 */
export function commandWeb(argv: string[]): number {
  try {
    return startFromCommandLine(argv);
  } catch (error) {
    if (!(error instanceof WebUsageError)) throw error;
    process.stderr.write(`netconfig web: ${error.message}\n`);
    return 1;
  }
}

function startFromCommandLine(argv: string[]): number {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        hive: { type: 'string' },
        image: { type: 'string' },
        user: { type: 'string' },
        port: { type: 'string' },
        wait: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new WebUsageError(`${(error as Error).message}\nusage: ${WEB_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${WEB_USAGE}\n\nServes the hive editor page on 127.0.0.1; Save commits the hive through its log, as every netconfig write.\n`);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WebUsageError(`--port takes 0 to 65535 (0: any free port); got ${values.port}`);
  const wait = values.wait === undefined ? undefined : Number(values.wait);
  if (wait !== undefined && !(wait >= 0)) throw new WebUsageError(`--wait takes seconds (0 or more); got ${values.wait}`);
  startWebServer({
    hive: values.hive as string | undefined,
    image: values.image as string | undefined,
    user: values.user as string | undefined,
    port,
    wait,
  }).then(
    (server) => {
      process.stdout.write(`${server.url}\n`);
      process.stderr.write('netconfig web: open the address above in a browser (127.0.0.1 only); Ctrl+C stops the server\n');
    },
    (error: unknown) => {
      process.stderr.write(`netconfig web: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
  return 0;
}
