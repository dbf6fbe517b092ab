// The protections of a folder in one line: each kind with whether it is on, off, or in trouble.

import { PROTECTION_KINDS, type Folder } from '../../../main/api/index.js';
import { PROTECTION_NAMES, PROTECTION_STATE_WORDS } from '../words/format.js';
import { StateBadge, type Tone } from './state-badge.js';

const TONES = { active: 'good', disabled: 'neutral', unavailable: 'warn', failed: 'bad' } as const satisfies Record<string, Tone>;

export function ProtectionChips({ folder }: { folder: Folder }) {
  const kinds = PROTECTION_KINDS.filter((kind) => folder.policy[kind] !== undefined);
  if (kinds.length === 0) return <p className="muted">No protections chosen.</p>;
  return (
    <ul className="chips" aria-label="Protections">
      {kinds.map((kind) => {
        const live = folder.runtime?.protections.find((p) => p.kind === kind);
        const state = live?.state ?? (folder.policy[kind]!.enabled ? null : 'disabled');
        return (
          <li key={kind}>
            {state === null ? (
              <StateBadge tone="neutral">{`${PROTECTION_NAMES[kind]}: chosen`}</StateBadge>
            ) : (
              <StateBadge tone={TONES[state]}>{`${PROTECTION_NAMES[kind]}: ${PROTECTION_STATE_WORDS[state]}`}</StateBadge>
            )}
          </li>
        );
      })}
    </ul>
  );
}
