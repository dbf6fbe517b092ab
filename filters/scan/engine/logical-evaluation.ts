// Evaluates a logical signature's expression over its subsignatures' match counts. A node yields a
// count and the number of distinct subsignatures behind it: `|` adds them up, `&` needs every child
// true, and `=n`, `>n`, `<n` (with `,m`: at least m distinct) compare a child's count.

import type { LogicalExpression } from '../signatures/signature-types.js';

interface Tally {
  readonly count: number;
  readonly distinct: number;
}

const FALSE: Tally = { count: 0, distinct: 0 };
const TRUE: Tally = { count: 1, distinct: 1 };

export function evaluateLogical(expression: LogicalExpression, countOf: (subIndex: number) => number): boolean {
  return tally(expression, countOf).count > 0;
}

function tally(expression: LogicalExpression, countOf: (subIndex: number) => number): Tally {
  switch (expression.kind) {
    case 'sub': {
      const count = countOf(expression.index);
      return { count, distinct: count > 0 ? 1 : 0 };
    }
    case 'or':
    case 'and': {
      let count = 0;
      let distinct = 0;
      for (const child of expression.children) {
        const result = tally(child, countOf);
        if (expression.kind === 'and' && result.count === 0) return FALSE;
        count += result.count;
        distinct += result.distinct;
      }
      return { count, distinct };
    }
    case 'count': {
      const { count, distinct } = tally(expression.child, countOf);
      const holds =
        (expression.op === '=' ? count === expression.count : expression.op === '>' ? count > expression.count : count < expression.count) &&
        distinct >= expression.distinct;
      return holds ? TRUE : FALSE;
    }
  }
}
