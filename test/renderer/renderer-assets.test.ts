// The rules for serving the built GUI: only files inside its folder, the right content types, a CSP
// that allows only the page's own files and agent, routes falling back to the page, assets never.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtRendererRoot, lookupRendererAsset, rendererCsp, serveRendererAssets } from '../../main/agent/renderer-assets.js';

function guiFolder(): { root: string; outside: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'strata-gui-'));
  const root = join(base, 'gui');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Strata</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'notes.exe'), 'MZ');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'leak.txt'));
  return { root, outside: base, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

test('a file of the GUI is found with its content type; hashed assets are immutable, the page is not', async () => {
  const gui = guiFolder();
  try {
    const js = await lookupRendererAsset(gui.root, '/assets/index-abc.js');
    assert.equal(js.kind, 'file');
    assert.equal(js.kind === 'file' && js.contentType, 'text/javascript; charset=utf-8');
    assert.equal(js.kind === 'file' && js.immutable, true);
    const css = await lookupRendererAsset(gui.root, '/assets/index-abc.css');
    assert.equal(css.kind === 'file' && css.contentType, 'text/css; charset=utf-8');
    const page = await lookupRendererAsset(gui.root, '/');
    assert.equal(page.kind === 'file' && page.path.endsWith('index.html'), true);
    assert.equal(page.kind === 'file' && page.immutable, false);
  } finally {
    gui.cleanup();
  }
});

test('a path without an extension is a GUI route and gets the page; a missing asset is not found, never the page', async () => {
  const gui = guiFolder();
  try {
    const route = await lookupRendererAsset(gui.root, '/folders/abc');
    assert.equal(route.kind === 'file' && route.path.endsWith('index.html'), true);
    assert.deepEqual(await lookupRendererAsset(gui.root, '/assets/missing.js'), { kind: 'not-found' });
  } finally {
    gui.cleanup();
  }
});

test('traversal is refused in every spelling: .., encoded .., encoded backslash, NUL, bad encoding', async () => {
  const gui = guiFolder();
  try {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2E%2E%2F%2E%2E%2Fsecret.txt', '/..%5csecret.txt', '/index.html%00.js', '/%E0%A4%A']) {
      const found = await lookupRendererAsset(gui.root, path);
      assert.equal(found.kind, 'bad-path', `${path} must be refused, got ${JSON.stringify(found)}`);
    }
  } finally {
    gui.cleanup();
  }
});

test('a symlink inside the GUI folder that leads out of it is refused', async () => {
  const gui = guiFolder();
  try {
    const found = await lookupRendererAsset(gui.root, '/assets/leak.txt');
    assert.deepEqual(found, { kind: 'bad-path', reason: 'a link leading out of the GUI folder' });
  } finally {
    gui.cleanup();
  }
});

test('a file type the GUI does not ship is not served', async () => {
  const gui = guiFolder();
  try {
    assert.deepEqual(await lookupRendererAsset(gui.root, '/assets/notes.exe'), { kind: 'not-found' });
  } finally {
    gui.cleanup();
  }
});

test('the CSP allows only the page itself and, for a loopback host, its own WebSocket', () => {
  const csp = rendererCsp('127.0.0.1:4312');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:4312(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  // A Host header that is not loopback never makes it into the policy.
  assert.doesNotMatch(rendererCsp('evil.example:80'), /evil/);
  assert.doesNotMatch(rendererCsp("127.0.0.1:1; script-src *"), /script-src \*/);
});

test('builtRendererRoot finds a built GUI and reports none for a folder without index.html', () => {
  const gui = guiFolder();
  try {
    assert.equal(builtRendererRoot(gui.root), gui.root);
    assert.equal(builtRendererRoot(join(gui.root, 'assets')), undefined);
    assert.equal(builtRendererRoot(join(gui.outside, 'nope')), undefined);
  } finally {
    gui.cleanup();
  }
});

async function serve(root: string | undefined): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void serveRendererAssets(request, response, new URL(request.url ?? '/', 'http://127.0.0.1'), root);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('over HTTP: headers on every answer, 400 for a hostile path, 405 for a write, HEAD without a body', async () => {
  const gui = guiFolder();
  const { url, server } = await serve(gui.root);
  try {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' ws://${new URL(url).host}`));
    assert.equal(await page.text(), '<!doctype html><title>Strata</title>');

    const asset = await fetch(`${url}/assets/index-abc.js`);
    assert.equal(asset.headers.get('cache-control'), 'private, max-age=31536000, immutable');
    assert.equal(await asset.text(), 'console.log(1)');

    const hostile = await fetch(`${url}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`);
    assert.equal(hostile.status, 400);
    assert.doesNotMatch(await hostile.text(), /secret/);
    assert.equal((await fetch(`${url}/assets/missing.js`)).status, 404);

    const post = await fetch(`${url}/`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');

    const head = await fetch(`${url}/assets/index-abc.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  } finally {
    server.close();
    gui.cleanup();
  }
});

test('without a built GUI the agent answers with a page saying how to build it', async () => {
  const { url, server } = await serve(undefined);
  try {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /npm run build:renderer/);
  } finally {
    server.close();
  }
});
