// Which events deserve a desktop notification (threats and failures, never routine work) and what it
// says, in the same words as the GUI.

import type { EventRecord } from '../main/api/index.js';
import { ACTION_WORDS } from '../renderer/src/words/format.js';
import { plainStatusWords } from '../renderer/src/words/status-words.js';

export interface Notice {
  title: string;
  body: string;
  urgent: boolean;
}

const THREAT_ACTIONS = new Set<EventRecord['action']>(['threat-found', 'quarantined', 'blocked']);
const THREAT_OUTCOME: Partial<Record<EventRecord['action'], string>> = {
  quarantined: 'It was moved to quarantine.',
  blocked: 'Access to it was refused.',
  'threat-found': 'It was reported.',
};

export function noticeFor(event: EventRecord): Notice | null {
  const where = event.folderName === null ? '' : ` in ${event.folderName}`;
  const file = event.path ?? 'a file';
  const detail = event.detail === null ? '' : ` (${plainStatusWords(event.detail)})`;
  if (THREAT_ACTIONS.has(event.action)) {
    return { title: `Threat found${where}`, body: `${file}${detail}. ${THREAT_OUTCOME[event.action]}`, urgent: true };
  }
  if (event.action === 'error') {
    return { title: `Strata ran into a problem${where}`, body: `${event.path ?? ''}${detail}`.trim() || 'See the event log.', urgent: false };
  }
  if (event.result === 'failed') {
    return { title: `${ACTION_WORDS[event.action]} failed${where}`, body: `${event.path ?? ''}${detail}`.trim() || 'See the event log.', urgent: false };
  }
  return null;
}

/** One notice per file and kind for a short while: a threat found and then quarantined is one notice. */
export class NoticeDeduper {
  private readonly shown = new Map<string, number>();
  constructor(private readonly windowMs = 10_000) {}

  admit(event: EventRecord, notice: Notice, now: number): boolean {
    for (const [key, at] of this.shown) if (now - at > this.windowMs) this.shown.delete(key);
    const key = `${notice.urgent ? 'threat' : event.action}\0${event.folderId ?? ''}\0${event.path ?? ''}`;
    if (this.shown.has(key)) return false;
    this.shown.set(key, now);
    return true;
  }
}
