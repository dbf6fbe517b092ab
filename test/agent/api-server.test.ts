// The agent's local API over real HTTP and WebSocket: every request is authenticated (401 without or
// with a wrong token, never any data), addressed to loopback, and validated, with errors as
// {error: {code, message, path}}; the event stream speaks only to token holders; no cookie is ever a
// credential (cookies are shared by every port of 127.0.0.1).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiErrorBody, EVENT_STREAM_PROTOCOL, OPERATION_NAMES, createHttpClient, eventStreamProtocols, eventStreamUrl, openEventStream, type StreamMessage,
} from '../../main/api/index.js';
import { rawRequest, runningAgent } from './running-agent.js';
import { tempDir } from './agent-fixtures.js';

const json = { 'content-type': 'application/json' };

describe('local API', () => {
  it('refuses every operation without the token, or with a wrong one, and leaks nothing', async (t) => {
    const agent = await runningAgent(t);
    await createHttpClient({ baseUrl: agent.url, token: agent.token }).addFolder({ path: tempDir(t), name: 'Secret' });
    const wrong = agent.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const name of OPERATION_NAMES) {
      for (const headers of [json, { ...json, authorization: `Bearer ${wrong}` }, { ...json, authorization: 'Basic abc' }]) {
        const response = await rawRequest(`${agent.url}/api/${name}`, { headers, body: '{}' });
        assert.equal(response.status, 401, `${name} with ${JSON.stringify(headers)}`);
        assert.doesNotMatch(response.body, /Secret/);
        assert.equal(ApiErrorBody.parse(JSON.parse(response.body)).error.code, 'unauthorized');
      }
    }
    assert.equal((await rawRequest(`${agent.url}/api/nope`, { method: 'GET' })).status, 401);
    for (const path of ['/', '/index.html', `/?token=${wrong}`]) {
      const page = await rawRequest(`${agent.url}${path}`, { method: 'GET' });
      assert.equal(page.status, 200, `${path}: the GUI's files hold no secret and are served to any loopback page`);
      assert.doesNotMatch(page.body, /Secret/);
    }
    await assert.rejects(createHttpClient({ baseUrl: agent.url, token: wrong }).listFolders({}), (e: Error & { code?: string }) => e.code === 'unauthorized');
  });

  it('refuses requests addressed to another host name or sent from another web origin', async (t) => {
    const agent = await runningAgent(t);
    const auth = { ...json, authorization: `Bearer ${agent.token}` };
    assert.equal((await rawRequest(`${agent.url}/api/listFolders`, { headers: { ...auth, host: 'evil.example:80' }, body: '{}' })).status, 403);
    assert.equal((await rawRequest(`${agent.url}/api/listFolders`, { headers: { ...auth, origin: 'http://evil.example' }, body: '{}' })).status, 403);
    assert.equal((await rawRequest(`${agent.url}/api/listFolders`, { headers: { ...auth, origin: agent.url }, body: '{}' })).status, 200);
  });

  it('validates every body and answers {error: {code, message, path}}', async (t) => {
    const agent = await runningAgent(t);
    const auth = { ...json, authorization: `Bearer ${agent.token}` };
    const call = async (path: string, body: string | Buffer, method = 'POST') => {
      const response = await rawRequest(`${agent.url}${path}`, { method, headers: auth, body });
      return { status: response.status, error: response.status === 200 ? null : ApiErrorBody.parse(JSON.parse(response.body)).error };
    };
    assert.deepEqual(await call('/api/listFolders', ''), { status: 200, error: null });
    const notJson = await call('/api/addFolder', '{"path":');
    assert.deepEqual([notJson.status, notJson.error?.code, notJson.error?.path], [400, 'invalid-json', '$']);
    const badField = await call('/api/addFolder', JSON.stringify({ path: 'relative', policy: { scan: { settings: { action: 'explode' } } } }));
    assert.equal(badField.status, 400);
    assert.equal(badField.error?.code, 'invalid-request');
    assert.deepEqual(badField.error?.problems?.map((p) => p.path), ['$.path', '$.policy.scan.settings.action']);
    const unknown = await call('/api/dropDatabase', '{}');
    assert.deepEqual([unknown.status, unknown.error?.code], [404, 'not-found']);
    const get = await call('/api/listFolders', '', 'GET');
    assert.deepEqual([get.status, get.error?.code], [405, 'method-not-allowed']);
    const huge = await call('/api/addFolder', Buffer.alloc(2 * 1024 * 1024, 0x20));
    assert.deepEqual([huge.status, huge.error?.code], [413, 'payload-too-large']);
    const missing = await call('/api/getFolder', JSON.stringify({ folder: 'nope' }));
    assert.deepEqual([missing.status, missing.error?.code, missing.error?.path], [404, 'not-found', '$.folder']);
  });

  it('the ui link carries the token in its fragment; no cookie is set, and a cookie authenticates nothing', async (t) => {
    const agent = await runningAgent(t);
    assert.equal(agent.uiUrl, `${agent.url}/#token=${encodeURIComponent(agent.token)}`);
    for (const path of ['/', `/?token=${agent.token}`]) {
      const page = await rawRequest(`${agent.url}${path}`, { method: 'GET' });
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['set-cookie'], undefined, `${path} sets no cookie`);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    }
    const cookie = { ...json, cookie: `strata_token=${encodeURIComponent(agent.token)}` };
    assert.equal((await rawRequest(`${agent.url}/api/listFolders`, { headers: cookie, body: '{}' })).status, 401, 'a cookie alone is refused');
    assert.equal((await rawRequest(`${agent.url}/api/listFolders?token=${agent.token}`, { headers: json, body: '{}' })).status, 401, 'API calls take the token only as a header');
    const upgrade = (headers: Record<string, string>) => rawRequest(`${agent.url}/api/events`, {
      method: 'GET',
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    }).catch(() => ({ status: -1 }));
    assert.equal((await upgrade({ cookie: cookie.cookie })).status, 401, 'nor does a cookie open the event stream');
  });

  it('the invalid-json answer says where the body goes wrong without quoting it', async (t) => {
    const agent = await runningAgent(t);
    const body = '{"folder": "Docs",\n "passphrase": hunter2-correct-horse}';
    const response = await rawRequest(`${agent.url}/api/unlockFolder`, { headers: { ...json, authorization: `Bearer ${agent.token}` }, body });
    const error = ApiErrorBody.parse(JSON.parse(response.body)).error;
    assert.deepEqual([response.status, error.code, error.path], [400, 'invalid-json', '$']);
    assert.equal(error.message, 'the request body is not JSON: a character that does not belong at line 2, column 16');
    for (const fragment of ['hunter2', 'correct', 'horse', 'phrase', 'Docs']) assert.doesNotMatch(response.body, new RegExp(fragment));
    const cut = await rawRequest(`${agent.url}/api/unlockFolder`, { headers: { ...json, authorization: `Bearer ${agent.token}` }, body: '{"passphrase": "hunter2' });
    assert.equal(ApiErrorBody.parse(JSON.parse(cut.body)).error.message, 'the request body is not JSON: it ends too early (line 1, column 24)');
  });

  it('the event stream needs the token, greets, then streams events and folder states', async (t) => {
    const agent = await runningAgent(t);
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${agent.url.replace('http', 'ws')}/api/events?token=wrong`);
      socket.addEventListener('error', () => resolve(-1));
      socket.addEventListener('open', () => resolve(1));
    });
    assert.equal(refused, -1, 'a wrong token cannot open the stream');
    const viaQuery = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`${agent.url.replace('http', 'ws')}/api/events?token=${agent.token}`);
      socket.addEventListener('error', () => resolve('refused'));
      socket.addEventListener('open', () => {
        resolve('open');
        socket.close();
      });
    });
    assert.equal(viaQuery, 'open', '?token= still opens the stream, for clients that can set no header');
    const chosen = await new Promise<string>((resolve) => {
      const socket = new WebSocket(eventStreamUrl(agent.url), eventStreamProtocols(agent.token));
      socket.addEventListener('error', () => resolve('refused'));
      socket.addEventListener('open', () => {
        resolve(socket.protocol);
        socket.close();
      });
    });
    assert.equal(chosen, EVENT_STREAM_PROTOCOL, 'the token rides in the subprotocol list and is never echoed back');
    const messages: StreamMessage[] = [];
    const stream = openEventStream({ baseUrl: agent.url, token: agent.token, onMessage: (m) => messages.push(m) });
    t.after(() => stream.close());
    await stream.opened;
    const folder = await createHttpClient({ baseUrl: agent.url, token: agent.token }).addFolder({ path: tempDir(t), name: 'Live' });
    const deadline = Date.now() + 5000;
    while (!messages.some((m) => m.type === 'event' && m.event.action === 'folder-mounted') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(messages[0]?.type, 'hello');
    const actions = messages.flatMap((m) => (m.type === 'event' ? [m.event.action] : []));
    assert.ok(actions.includes('folder-added') && actions.includes('folder-mounted'), actions.join(', '));
    const states = messages.flatMap((m) => (m.type === 'folder' && m.folder.id === folder.id ? [m.folder.runtime?.state] : []));
    assert.ok(states.includes('running'), states.join(', '));
  });
});
