// The agent's loopback HTTP server: POST /api/<operation> with a JSON body, the WebSocket event stream
// at /api/events, and the GUI at /. Every request is checked first (loopback host, no foreign origin, and
// for the API and the stream the token); every body is validated against the operation's schema; every
// failure is {error: {code, message, path}}.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { ApiRequestError, HTTP_STATUS_OF, isOperationName, type StreamMessage } from '../../api/index.js';
import { dispatch, type Handlers } from '../api-handlers.js';
import type { EventStreamHub } from './event-stream-hub.js';
import { checkRequest, chooseEventStreamProtocol, type AuthVerdict } from './request-auth.js';
import { describeJsonSyntaxError } from './json-syntax-error.js';
import { serveRendererAssets } from '../renderer-assets.js';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export interface ApiServerOptions {
  handlers: Handlers;
  token: string;
  hub: EventStreamHub;
  hello: () => StreamMessage;
  /** A built GUI to serve at /, if there is one. */
  uiRoot?: string;
  port?: number;
}

export interface ApiServer {
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  let port = 0;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: chooseEventStreamProtocol });
  const server = createServer((request, response) => {
    void handle(request, response, options, port).catch((error: unknown) => sendError(response, asApiError(error)));
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(request, url, options.token, port, 'event-stream');
    if (url.pathname !== '/api/events' || verdict !== 'ok') {
      socket.end(`HTTP/1.1 ${url.pathname !== '/api/events' ? '404 Not Found' : verdict === 'no-token' ? '401 Unauthorized' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => options.hub.add(ws, options.hello()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      options.hub.closeAll();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ApiServerOptions, port: number): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const isApiCall = url.pathname.startsWith('/api/');
  const verdict = checkRequest(request, url, options.token, port, isApiCall ? 'api-call' : 'gui-file');
  if (verdict !== 'ok') {
    sendError(response, refusal(verdict));
    return;
  }
  if (!isApiCall) {
    await serveRendererAssets(request, response, url, options.uiRoot);
    return;
  }
  const name = url.pathname.slice('/api/'.length);
  if (!isOperationName(name)) throw new ApiRequestError('not-found', `there is no API operation '${name}'`);
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    throw new ApiRequestError('method-not-allowed', `${name} takes POST with a JSON body, not ${request.method}`);
  }
  const body = await readJsonBody(request);
  sendJson(response, 200, await dispatch(options.handlers, name, body));
}

function refusal(verdict: Exclude<AuthVerdict, 'ok'>): ApiRequestError {
  if (verdict === 'no-token') return new ApiRequestError('unauthorized', 'a valid API token is required (see the agent.token file in the data dir)');
  return new ApiRequestError('forbidden', verdict === 'foreign-host' ? 'requests must address the agent by its loopback address' : 'requests from other web origins are refused');
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is read and dropped (so the client gets the answer, not a reset),
    // up to a point where the connection is simply cut.
    if (size > MAX_DRAIN_BYTES) request.destroy();
    else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new ApiRequestError('payload-too-large', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Never the parser's own message: it quotes the text around the fault, which may be a passphrase.
    throw new ApiRequestError('invalid-json', `the request body is not JSON: ${describeJsonSyntaxError(text)}`, '$');
  }
}

function asApiError(error: unknown): ApiRequestError {
  if (error instanceof ApiRequestError) return error;
  return new ApiRequestError('internal', `the agent failed: ${error instanceof Error ? error.message : String(error)}`);
}

function sendError(response: ServerResponse, error: ApiRequestError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error.code === 'unauthorized') response.setHeader('www-authenticate', 'Bearer');
  sendJson(response, HTTP_STATUS_OF[error.code], error.toBody());
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(text);
}
