// The app:// protocol the window loads the GUI from: the built GUI's files with the CSP, routes to the
// page, hostile paths refused, only the strata host, only reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerAppRequest } from '../../app/app-protocol-answer.js';
import { APP_START_URL } from '../../app/trusted-sender.js';
import { tempDir } from './app-fixtures.js';

function gui(t: Parameters<typeof tempDir>[0]): string {
  const root = join(tempDir(t), 'gui');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Strata</title>');
  writeFileSync(join(root, 'assets', 'index-1.js'), 'export {}');
  writeFileSync(join(tempDir(t), 'secret'), 'secret');
  return root;
}

test('the start page and its assets come with their content types and a CSP without unsafe sources', async (t) => {
  const root = gui(t);
  const page = await answerAppRequest(APP_START_URL, 'GET', root);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe|\*|ws:/);
  assert.equal(await page.text(), '<!doctype html><title>Strata</title>');
  const script = await answerAppRequest('app://strata/assets/index-1.js', 'GET', root);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await answerAppRequest('app://strata/folders/x', 'GET', root)).status, 200);
});

test('hostile paths, other hosts, writes and a missing GUI each get a clear refusal', async (t) => {
  const root = gui(t);
  const bad = await answerAppRequest('app://strata/assets/%2e%2e%2f%2e%2e%2fsecret', 'GET', root);
  assert.equal(bad.status, 400);
  assert.doesNotMatch(await bad.text(), /^secret/);
  assert.equal((await answerAppRequest('app://evil/index.html', 'GET', root)).status, 404);
  assert.equal((await answerAppRequest(APP_START_URL, 'POST', root)).status, 405);
  assert.equal((await answerAppRequest('app://strata/assets/none.js', 'GET', root)).status, 404);
  const unbuilt = await answerAppRequest(APP_START_URL, 'GET', undefined);
  assert.equal(unbuilt.status, 503);
  assert.match(await unbuilt.text(), /npm run build:renderer/);
  const head = await answerAppRequest(APP_START_URL, 'HEAD', root);
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});
