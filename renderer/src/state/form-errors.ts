// Problems keyed by JSON path for a form's fields, from a local check or an agent's refusal alike.

import { ApiRequestError, type ApiProblem } from '../../../main/api/index.js';
import { problemInWords } from '../words/error-words.js';

export function errorsByPath(problems: readonly ApiProblem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) errors[problem.path] ??= problemInWords(problem).message;
  return errors;
}

/** Problems that belong next to a field: invalid values, and protections this build cannot provide. */
export function fieldProblems(error: unknown): readonly ApiProblem[] {
  return error instanceof ApiRequestError && (error.code === 'invalid-request' || error.code === 'unavailable') ? error.problems : [];
}
