// One word for how a folder is doing, from its live state: protected, needs attention, failed, or not
// watched at all (no agent running).

import type { Folder } from '../../../main/api/index.js';
import type { Tone } from './tone.js';
import { FOLDER_STATE_WORDS, PROTECTION_NAMES } from '../words/format.js';

export interface FolderHealth {
  tone: Tone;
  words: string;
  /** Why it is not simply protected, if it is not. */
  reasons: string[];
}

export function folderHealth(folder: Folder): FolderHealth {
  const runtime = folder.runtime;
  if (runtime === null) return { tone: 'neutral', words: 'Not watched (agent not running)', reasons: [] };
  const reasons = runtime.protections
    .filter((p) => p.state === 'failed' || p.state === 'unavailable')
    .map((p) => `${PROTECTION_NAMES[p.kind]}: ${p.message ?? (p.state === 'failed' ? 'failed to start' : 'not available in this version')}`);
  if (runtime.message !== null) reasons.unshift(runtime.message);
  if (runtime.state === 'failed' || runtime.state === 'missing') return { tone: 'bad', words: FOLDER_STATE_WORDS[runtime.state], reasons };
  if (runtime.state !== 'running') return { tone: 'neutral', words: FOLDER_STATE_WORDS[runtime.state], reasons };
  if (reasons.length > 0 || runtime.ingest.failed > 0) {
    if (runtime.ingest.failed > 0) reasons.push(`${runtime.ingest.failed} file(s) could not be taken in`);
    return { tone: 'warn', words: 'Needs attention', reasons };
  }
  if (!runtime.protections.some((p) => p.state === 'active')) return { tone: 'neutral', words: 'Watched, no protection on', reasons };
  return { tone: 'good', words: FOLDER_STATE_WORDS.running, reasons };
}
