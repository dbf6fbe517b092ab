// Turns whatever went wrong into sentences a user can act on: API error codes become a headline,
// JSON paths become the names of the fields on screen, NT status names become plain words.

import { ApiRequestError, type ApiErrorCode, type ApiProblem } from '../../../main/api/index.js';
import { fieldLabel } from './field-labels.js';
import { plainStatusWords } from './status-words.js';

export interface ProblemInWords {
  /** The JSON path it came from, so a form can put it next to its field. */
  path: string;
  field: string;
  message: string;
}

export interface ErrorInWords {
  title: string;
  detail: string | null;
  problems: ProblemInWords[];
}

const HEADLINES: Record<ApiErrorCode, string> = {
  unauthorized: 'This page is not signed in to the Strata agent. Open the address the agent printed when it started (strata agent shows it), or use the desktop app.',
  forbidden: 'The Strata agent refused a request from this page. Open Strata from the address the agent printed, not through another site.',
  'not-found': 'That item no longer exists. It may have been removed in another window.',
  'method-not-allowed': 'Strata could not run that request.',
  'payload-too-large': 'That is too large for Strata to accept. Choose a smaller file.',
  'invalid-json': 'That file is not valid JSON.',
  'invalid-request': 'Some values need attention.',
  conflict: 'That clashes with what Strata already has.',
  unavailable: 'This version of Strata cannot do that.',
  'agent-unreachable': 'The Strata agent is not running or cannot be reached. Start it with "strata agent", or open the desktop app.',
  internal: 'Something went wrong inside Strata.',
};

export function describeError(error: unknown): ErrorInWords {
  if (error instanceof ApiRequestError) {
    const problems = error.problems.map(problemInWords);
    // A single problem is already the whole story; several are listed under a headline.
    const detail = error.code === 'invalid-request' && problems.length > 0 ? null : withoutJsonPath(error.message);
    return { title: HEADLINES[error.code], detail: detail === null ? null : plainStatusWords(detail), problems };
  }
  if (error instanceof SyntaxError) return { title: HEADLINES['invalid-json'], detail: error.message, problems: [] };
  return { title: HEADLINES.internal, detail: error instanceof Error ? plainStatusWords(error.message) : String(error), problems: [] };
}

export function problemInWords(problem: ApiProblem): ProblemInWords {
  return { path: problem.path, field: fieldLabel(problem.path), message: plainStatusWords(problem.message) };
}

/** "the addFolder request is invalid at $.path: x" → "x", "y (at $.policy.scan)" → "y"; other messages stay. */
function withoutJsonPath(message: string): string {
  const match = /^.* is invalid at \$[^:]*: (.*)$/s.exec(message);
  const text = (match?.[1] ?? message).replace(/ \(at \$[^)]*\)$/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
