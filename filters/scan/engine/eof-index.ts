// EOF-anchored patterns indexed by where they start (as a distance from the end) and by their first
// byte: at the end of a stream only the patterns whose first byte is actually there are tried, instead
// of every EOF pattern of the database.

import type { BodyRule } from './compiled-database.js';
import type { ByteView } from './pattern-verifier.js';

interface AtDistance {
  /** Patterns starting with an exact byte, by that byte. */
  readonly byLead: Map<number, BodyRule[]>;
  /** Patterns starting with a wildcard or nibble: always tried. */
  readonly others: BodyRule[];
}

export class EofIndex {
  private readonly byDistance = new Map<number, AtDistance>();

  add(rule: BodyRule): void {
    if (rule.offset.kind !== 'eof') return;
    const first = rule.chunks[0]!.elements[0];
    const lead = first?.kind === 'fixed' && first.mask[0] === 0xff ? first.value[0]! : null;
    // Start in [size - back, size - back + shift]: distances from the end in [back - shift, back].
    for (let distance = rule.offset.back - rule.offset.shift; distance <= rule.offset.back; distance++) {
      if (distance <= 0) continue;
      let slot = this.byDistance.get(distance);
      if (slot === undefined) this.byDistance.set(distance, (slot = { byLead: new Map(), others: [] }));
      if (lead === null) slot.others.push(rule);
      else (slot.byLead.get(lead) ?? (slot.byLead.set(lead, []), slot.byLead.get(lead)!)).push(rule);
    }
  }

  /** Calls `visit(rule, start)` for every pattern that may start at a position its offset allows. */
  candidates(size: number, view: ByteView, visit: (rule: BodyRule, start: number) => void): void {
    for (const [distance, slot] of this.byDistance) {
      const start = size - distance;
      if (start < 0) continue;
      const byte = view.bytes[start - view.base];
      if (byte === undefined) continue;
      for (const rule of slot.byLead.get(byte) ?? []) visit(rule, start);
      for (const rule of slot.others) visit(rule, start);
    }
  }
}
