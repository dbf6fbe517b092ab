// The answers of the app:// protocol the window loads the GUI from (instead of file://, which would
// give the page the whole disk's origin): the built GUI's files only, by the same rules as the agent's
// loopback server, with the same CSP. Plain fetch Responses, so it is tested without Electron.

import { readFile } from 'node:fs/promises';
import { CONTENT_TYPES, lookupRendererAsset, rendererCsp } from '../main/agent/renderer-assets.js';
import { APP_HOST } from './trusted-sender.js';

const BASE_HEADERS = {
  'content-security-policy': rendererCsp(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...BASE_HEADERS, 'content-type': CONTENT_TYPES['.txt']! } });
}

export async function answerAppRequest(requestUrl: string, method: string, root: string | undefined): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return text(404, `no such app host: ${url.host}\n`);
  if (method !== 'GET' && method !== 'HEAD') return text(405, `${method} is not served here\n`);
  if (root === undefined) return text(503, 'the Strata GUI is not built: run "npm run build:renderer"\n');
  const asset = await lookupRendererAsset(root, url.pathname);
  if (asset.kind === 'bad-path') return text(400, `refused: the path contains ${asset.reason}\n`);
  if (asset.kind === 'not-found') return text(404, 'not found\n');
  const body = method === 'HEAD' ? null : await readFile(asset.path);
  return new Response(body, { status: 200, headers: { ...BASE_HEADERS, 'content-type': asset.contentType } });
}
