// A signature set compiled for scanning: every floating body pattern's chunk anchors in one Aho-Corasick
// automaton, EOF-anchored patterns kept aside for a check on the stream's tail, logical signatures with
// the rules of their subsignatures, and the hash tables. Immutable: a new set means a new database.

import type { SignatureSet } from '../signatures/signature-set.js';
import type { BodySignature, LogicalExpression, LogicalSignature, PatternOffset, SignatureNotice } from '../signatures/signature-types.js';
import { AhoCorasick } from './aho-corasick.js';
import { BUILTIN_SIGNATURES } from './builtin-signatures.js';
import { compileChunk, type CompiledChunk } from './compiled-chunk.js';
import { EofIndex } from './eof-index.js';
import { HashTable } from './hash-table.js';

/** EOF-anchored patterns are checked on a kept tail of the stream; beyond this the tail costs too much. */
export const MAX_EOF_WINDOW = 8 << 20;

export interface BodyRule {
  readonly index: number;
  readonly name: string;
  readonly offset: PatternOffset;
  readonly chunks: readonly CompiledChunk[];
  /** The logical signature this rule is a subsignature of (-1 for an .ndb signature), and which one. */
  readonly logical: number;
  readonly subIndex: number;
}

export interface CompiledLogical {
  readonly name: string;
  readonly expression: LogicalExpression;
  readonly fileSize: { readonly min: number; readonly max: number } | null;
  /** Rule index of each subsignature. */
  readonly rules: readonly number[];
  /** Only & | and >n: once true it stays true, so it can be decided before the end of the stream. */
  readonly monotone: boolean;
}

export interface AnchorRef {
  readonly rule: number;
  readonly chunk: number;
}

export interface CompileOptions {
  /** Include the built-in signatures (EICAR). Default true. */
  readonly builtins?: boolean;
}

export class CompiledDatabase {
  readonly rules: BodyRule[] = [];
  readonly logicals: CompiledLogical[] = [];
  readonly eofRules: BodyRule[] = [];
  readonly eofIndex = new EofIndex();
  readonly automaton: AhoCorasick;
  /** For each automaton pattern: the rule chunks anchored on it. */
  readonly anchorRefs: AnchorRef[][] = [];
  readonly anchorLengths: Int32Array;
  readonly hashes: HashTable;
  /** Bytes of history a stream scanner keeps to verify hits across chunk boundaries. */
  readonly historyNeeded: number;
  /** Bytes of tail kept for EOF-anchored patterns. */
  readonly tailNeeded: number;
  readonly notices: SignatureNotice[] = [];
  readonly signatureCount: number;

  constructor(set: SignatureSet, options: CompileOptions = {}) {
    const bodies = options.builtins === false ? set.bodies : [...BUILTIN_SIGNATURES, ...set.bodies];
    for (const body of bodies) this.addRule(body, -1, 0);
    set.logicals.forEach((logical) => this.addLogical(logical));
    this.hashes = new HashTable(set.hashes);
    this.signatureCount = bodies.length + set.logicals.length + set.hashes.length;

    const anchors: Uint8Array[] = [];
    const keys: string[] = [];
    const anchorIds = new Map<string, number>();
    let history = 0;
    for (const rule of this.rules) {
      if (rule.offset.kind === 'eof') continue;
      rule.chunks.forEach((chunk, chunkIndex) => {
        const key = String.fromCharCode(...chunk.anchor);
        let id = anchorIds.get(key);
        if (id === undefined) {
          anchorIds.set(key, (id = anchors.length));
          anchors.push(chunk.anchor);
          keys.push(key);
          this.anchorRefs.push([]);
        }
        this.anchorRefs[id]!.push({ rule: rule.index, chunk: chunkIndex });
        history = Math.max(history, chunk.leftMax + chunk.rightMax + chunk.anchor.length);
      });
    }
    this.automaton = AhoCorasick.build(anchors, keys);
    this.anchorLengths = Int32Array.from(anchors, (anchor) => anchor.length);
    this.historyNeeded = history;
    this.tailNeeded = this.eofRules.reduce((most, rule) => Math.max(most, rule.offset.kind === 'eof' ? rule.offset.back : 0), 0);
  }

  private addRule(body: BodySignature, logical: number, subIndex: number): number {
    if (body.offset.kind === 'eof' && body.offset.back > MAX_EOF_WINDOW) {
      this.notices.push({ ...body.origin, message: `${body.name}: EOF-${body.offset.back} reaches further back than ${MAX_EOF_WINDOW} bytes; skipped` });
      return -1;
    }
    const rule: BodyRule = { index: this.rules.length, name: body.name, offset: body.offset, chunks: body.pattern.chunks.map(compileChunk), logical, subIndex };
    this.rules.push(rule);
    if (rule.offset.kind === 'eof') {
      this.eofRules.push(rule);
      this.eofIndex.add(rule);
    }
    return rule.index;
  }

  private addLogical(signature: LogicalSignature): void {
    const index = this.logicals.length;
    const rules = signature.subsignatures.map((sub, subIndex) => this.addRule(sub, index, subIndex));
    if (rules.includes(-1)) {
      this.notices.push({ ...signature.origin, message: `${signature.name}: a subsignature was skipped, so the signature is too` });
      // Keep the indexes stable: the rules already added stay, pointing at a signature that never matches.
      this.logicals.push({ name: signature.name, expression: { kind: 'or', children: [] }, fileSize: null, rules, monotone: true });
      return;
    }
    this.logicals.push({
      name: signature.name,
      expression: signature.expression,
      fileSize: signature.fileSize,
      rules,
      monotone: signature.fileSize === null && isMonotone(signature.expression),
    });
  }
}

function isMonotone(expression: LogicalExpression): boolean {
  switch (expression.kind) {
    case 'sub':
      return true;
    case 'and':
    case 'or':
      return expression.children.every(isMonotone);
    case 'count':
      return expression.op === '>' && isMonotone(expression.child);
  }
}
