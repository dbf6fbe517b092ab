// The fetch-based API client: one method per operation, requests checked before they leave, answers
// checked when they arrive, failures raised as ApiRequestError. Runs in Node and in a browser alike.

import { ApiErrorBody, ApiRequestError, invalidRequest } from './api-error.js';
import { OPERATION_NAMES, operations, type OperationName, type RequestOf, type ResponseOf, type StrataApi } from './operations.js';

export interface HttpClientOptions {
  /** The agent's loopback base URL, e.g. "http://127.0.0.1:43121". */
  baseUrl: string;
  token: string;
  fetch?: typeof globalThis.fetch;
}

export function createHttpClient(options: HttpClientOptions): StrataApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');
  const call = async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
    const checked = operations[name].request.safeParse(request ?? {});
    if (!checked.success) throw invalidRequest(`the ${name} request`, checked.error);
    // Serialized before the request goes out: a body that has no JSON form (nested too deep, a cycle)
    // is the request's fault, never reported as an agent that did not answer.
    let body: string;
    try {
      body = JSON.stringify(checked.data);
    } catch (err) {
      throw new ApiRequestError('invalid-request', `the ${name} request cannot be sent as JSON: ${(err as Error).message}`);
    }
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body,
      });
    } catch (err) {
      throw new ApiRequestError('agent-unreachable', `the Strata agent at ${base} did not answer: ${(err as Error).message}`);
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = ApiErrorBody.safeParse(answer);
      if (error.success) throw ApiRequestError.fromBody(error.data);
      throw new ApiRequestError('internal', `the agent answered ${name} with HTTP ${response.status} and no error body`);
    }
    const parsed = operations[name].response.safeParse(answer);
    if (!parsed.success) throw new ApiRequestError('internal', `the agent's answer to ${name} does not match the API: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data as ResponseOf<N>;
  };
  return bindOperations(call);
}

/** Builds a StrataApi from one generic call function (shared by every transport). */
export function bindOperations(call: <N extends OperationName>(name: N, request: RequestOf<N>) => Promise<ResponseOf<N>>): StrataApi {
  const api: Partial<Record<OperationName, unknown>> = {};
  for (const name of OPERATION_NAMES) api[name] = (request: RequestOf<typeof name>) => call(name, request);
  return api as StrataApi;
}
