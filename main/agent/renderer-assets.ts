// Serves the built GUI (Vite's output in build/gui) to a browser on loopback, and tells the Electron
// app's app:// protocol which file a URL names: one set of rules for both hosts. Only files under the
// GUI's folder are ever served (no "..", no encoded separators, no symlink leading out), each with its
// content type and a CSP that allows nothing but the page's own files and its own agent.

import { createReadStream, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:renderer` puts the GUI: build/gui beside build/main. */
export const BUILT_RENDERER_DIR = fileURLToPath(new URL('../../gui/', import.meta.url)).replace(/[\\/]$/, '');

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/;

/** The page may load its own files and talk to its own agent (HTTP and, when `host` is given, its WebSocket). */
export function rendererCsp(host?: string): string {
  const socket = host !== undefined && LOOPBACK_HOST.test(host) ? ` ws://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    `connect-src 'self'${socket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export type AssetLookup =
  | { kind: 'file'; path: string; contentType: string; immutable: boolean }
  | { kind: 'not-found' }
  | { kind: 'bad-path'; reason: string };

/**
 * The file a URL path names inside `root`. Paths without an extension are the GUI's own routes and get
 * index.html; a missing file with an extension is not found (never the page in its place).
 */
export async function lookupRendererAsset(root: string, urlPath: string): Promise<AssetLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-path', reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-path', reason: 'a NUL character' };
  if (decoded.includes('\\')) return { kind: 'bad-path', reason: 'a backslash' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'bad-path', reason: "a '.' or '..' segment" };
  const relative = segments.length === 0 || extname(segments[segments.length - 1]!) === '' ? ['index.html'] : segments;
  const candidate = join(root, ...relative);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(candidate), realpath(root)]);
    if (!(await stat(real)).isFile()) return { kind: 'not-found' };
  } catch {
    return { kind: 'not-found' };
  }
  if (!real.startsWith(`${realRoot}${sep}`)) return { kind: 'bad-path', reason: 'a link leading out of the GUI folder' };
  const extension = extname(real).toLowerCase();
  const contentType = CONTENT_TYPES[extension];
  if (contentType === undefined) return { kind: 'not-found' };
  // Vite names every asset by its content hash, so those never change; the page itself always may.
  return { kind: 'file', path: real, contentType, immutable: relative[0] === 'assets' };
}

/** The GUI folder if the renderer has been built, else undefined. */
export function builtRendererRoot(dir = BUILT_RENDERER_DIR): string | undefined {
  try {
    return statSync(join(dir, 'index.html')).isFile() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP handler for every non-API GET of the agent (already checked for a loopback host and no foreign origin; the files hold no secret). */
export async function serveRendererAssets(request: IncomingMessage, response: ServerResponse, url: URL, root: string | undefined): Promise<void> {
  const headers = {
    'content-security-policy': rendererCsp(request.headers.host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return;
  }
  if (root === undefined) {
    response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store' });
    response.end('<!doctype html><meta charset="utf-8"><title>Strata</title><p>The Strata agent is running, but its GUI is not built. Run <code>npm run build:renderer</code>, or use the <code>strata</code> command line.</p>\n');
    return;
  }
  const asset = await lookupRendererAsset(root, url.pathname);
  if (asset.kind !== 'file') {
    response.writeHead(asset.kind === 'bad-path' ? 400 : 404, { ...headers, 'content-type': CONTENT_TYPES['.txt']!, 'cache-control': 'no-store' });
    response.end(asset.kind === 'bad-path' ? `refused: the path contains ${asset.reason}\n` : 'not found\n');
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': asset.contentType,
    'cache-control': asset.immutable ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(asset.path);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
