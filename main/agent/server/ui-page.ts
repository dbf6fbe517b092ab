// Serves the GUI on loopback (behind the token): the built renderer's files when a UI root is given,
// confined to that folder, else a short page saying the agent runs and the GUI is not built.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export async function serveUi(request: IncomingMessage, response: ServerResponse, url: URL, uiRoot: string | undefined): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (uiRoot === undefined) {
    response.writeHead(200, { 'content-type': TYPES['.html']!, ...SECURITY_HEADERS });
    response.end('<!doctype html><meta charset="utf-8"><title>Strata</title><p>The Strata agent is running. The GUI is not part of this build; use the <code>strata</code> command line.</p>\n');
    return;
  }
  const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([\\/])+/, '');
  const file = join(uiRoot, relative === '' ? 'index.html' : relative);
  if (file !== uiRoot && !file.startsWith(uiRoot.endsWith(sep) ? uiRoot : `${uiRoot}${sep}`)) {
    response.writeHead(404).end();
    return;
  }
  const target = (await isFile(file)) ? file : join(uiRoot, 'index.html'); // client-side routes
  if (!(await isFile(target))) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', ...SECURITY_HEADERS });
  if (request.method === 'HEAD') response.end();
  else createReadStream(target).pipe(response);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
