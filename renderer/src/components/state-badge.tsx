// A state shown with a word and a shape as well as a colour, so it reads without colour vision.

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

const MARKS: Record<Tone, string> = { good: '●', warn: '▲', bad: '■', neutral: '○' };

export function StateBadge({ tone, children }: { tone: Tone; children: string }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{MARKS[tone]} </span>
      {children}
    </span>
  );
}
