// Which files a migration run may release: old enough, large enough, included, not excluded, not
// pinned. Each refusal says why, so a dry run explains itself.

import type { HsmPolicy } from '../catalog/folder-policy.js';
import { isWithin } from '../catalog/volume-path.js';
import { compileGlob, matchesAny, type GlobMatcher } from './glob.js';
import { globPathOf, type HostNameDecoder } from './host-spelling.js';

export interface FileFacts {
  /** Volume path, '\dir\file'. */
  readonly path: string;
  readonly size: number;
  readonly lastWriteTime: number;
  readonly lastAccessTime: number;
}

/** How many of a file's first bytes a ContentGate is shown. */
export const CONTENT_HEAD_BYTES = 64;

/**
 * Judges a file's raw content by its first bytes before it may go to the tier: null lets it go, else why
 * not. Given by whoever opens the folder when another of its protections must take the content in first
 * (the agent, for crypt: anything but an age file is 'waiting to be encrypted').
 */
export type ContentGate = (head: Uint8Array) => string | null;

export type Verdict = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

export class Eligibility {
  private readonly include: GlobMatcher[];
  private readonly exclude: GlobMatcher[];

  /** `hostNameOf`: the volume's names as the host spells them, which is what globs are written in (host-spelling.ts). */
  constructor(
    private readonly policy: HsmPolicy,
    private readonly pins: readonly string[],
    private readonly now: number,
    private readonly hostNameOf?: HostNameDecoder,
  ) {
    this.include = policy.include.map(compileGlob);
    this.exclude = policy.exclude.map(compileGlob);
  }

  judge(file: FileFacts): Verdict {
    const relative = globPathOf(file.path, this.hostNameOf);
    const pin = this.pins.find((pinned) => isWithin(file.path, pinned));
    if (pin !== undefined) return refuse(`pinned${pin === file.path ? '' : ` (by ${pin})`}`);
    if (file.size < this.policy.minSize) return refuse(`smaller than the minimum size (${file.size} < ${this.policy.minSize} bytes)`);
    const lastUse = this.policy.ageBasis === 'modification' ? file.lastWriteTime : Math.max(file.lastWriteTime, file.lastAccessTime);
    const age = Math.floor((this.now - lastUse) / 1000);
    if (age < this.policy.minAgeSeconds) return refuse(`used ${Math.max(age, 0)} s ago (minimum age ${this.policy.minAgeSeconds} s)`);
    if (!matchesAny(this.include, relative)) return refuse('not matched by the include globs');
    if (matchesAny(this.exclude, relative)) return refuse('matched by an exclude glob');
    return { eligible: true };
  }
}

function refuse(reason: string): Verdict {
  return { eligible: false, reason };
}
