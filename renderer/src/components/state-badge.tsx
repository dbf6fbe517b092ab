// A state shown with a word and a shape as well as a colour, so it reads without colour vision.

import type { Tone } from '../state/tone.js';

export type { Tone };

const MARKS: Record<Tone, string> = { good: '●', warn: '▲', bad: '■', neutral: '○' };

export function StateBadge({ tone, children }: { tone: Tone; children: string }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{MARKS[tone]} </span>
      {children}
    </span>
  );
}
