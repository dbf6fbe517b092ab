// The one error shape of the local API: {error: {code, message, path}}. Codes map to HTTP statuses on the
// wire; clients (CLI, GUI) get an ApiRequestError carrying the same fields.

import { z } from 'zod';
import { formatJsonPath } from './json-path.js';

export const ApiErrorCode = z.enum([
  'unauthorized', // missing or wrong token
  'forbidden', // a request from a foreign origin or host
  'not-found', // no such operation, folder, tier...
  'method-not-allowed',
  'payload-too-large',
  'invalid-json',
  'invalid-request', // the body does not match the operation's schema, or breaks a policy rule
  'conflict', // the request is valid but clashes with stored state (a folder already protected...)
  'unavailable', // a protection this build cannot provide
  'agent-unreachable', // client side: no agent answered
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiProblem = z.strictObject({ path: z.string(), message: z.string() });
export type ApiProblem = z.infer<typeof ApiProblem>;

export const ApiErrorBody = z.strictObject({
  error: z.strictObject({
    code: ApiErrorCode,
    message: z.string(),
    /** JSON path of the offending field in the request ("$.policy.scan.action"), or null. */
    path: z.string().nullable(),
    /** Every problem found, when validation found several. */
    problems: z.array(ApiProblem).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const HTTP_STATUS_OF: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'payload-too-large': 413,
  'invalid-json': 400,
  'invalid-request': 400,
  conflict: 409,
  unavailable: 422,
  'agent-unreachable': 503,
  internal: 500,
};

/** An API failure, raised by the agent's handlers and re-raised by clients from the error body. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly path: string | null = null,
    readonly problems: readonly ApiProblem[] = path === null ? [] : [{ path, message }],
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    const problems = this.problems.length > 1 ? { problems: [...this.problems] } : {};
    return { error: { code: this.code, message: this.message, path: this.path, ...problems } };
  }

  static fromBody(body: ApiErrorBody): ApiRequestError {
    const { code, message, path, problems } = body.error;
    return new ApiRequestError(code, message, path, problems ?? (path === null ? [] : [{ path, message }]));
  }
}

/** Every zod issue as {path, message}; an unknown key is reported at its own path. */
export function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): ApiProblem[] {
  return error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatJsonPath([...at, key]), message: `unknown field '${key}'` }));
    }
    return [{ path: formatJsonPath(at), message: issue.message }];
  });
}

/** A validation failure of `what` ("the request", "the policy file") as one error listing every problem. */
export function invalidRequest(what: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): ApiRequestError {
  const problems = problemsOf(error, prefix);
  const first = problems[0] ?? { path: '$', message: 'invalid' };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new ApiRequestError('invalid-request', `${what} is invalid at ${first.path}: ${first.message}${more}`, first.path, problems);
}
