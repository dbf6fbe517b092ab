// Parses the logical expression of a .ldb signature: subsignature indexes combined with & and |,
// parentheses, and match-count conditions `=n`, `>n`, `<n` (optionally `,m`: at least m distinct
// subsignatures). & and | share one precedence and group from the right, as ClamAV evaluates them:
// `1&2|0` is 1&(2|0). ClamAV also requires the highest index used to be the last subsignature.

import { FieldError } from './signature-error.js';
import type { LogicalExpression } from './signature-types.js';

export function parseLogicalExpression(text: string, subsignatureCount: number): LogicalExpression {
  const parser = new ExpressionParser(text, subsignatureCount);
  const expression = parser.expression();
  parser.expectEnd();
  const used = highestIndex(expression) + 1;
  if (used !== subsignatureCount) {
    throw new FieldError(`logical expression '${text}' uses subsignatures 0..${used - 1} but the line has ${subsignatureCount} (ClamAV requires them to agree)`);
  }
  return expression;
}

function highestIndex(expression: LogicalExpression): number {
  switch (expression.kind) {
    case 'sub':
      return expression.index;
    case 'count':
      return highestIndex(expression.child);
    default:
      return Math.max(-1, ...expression.children.map(highestIndex));
  }
}

class ExpressionParser {
  private at = 0;
  constructor(private readonly text: string, private readonly subsignatureCount: number) {}

  expression(): LogicalExpression {
    const left = this.condition();
    const op = this.text[this.at];
    if (op !== '&' && op !== '|') return left;
    this.at++;
    const right = this.expression();
    const kind = op === '&' ? 'and' : 'or';
    return right.kind === kind ? { kind, children: [left, ...right.children] } : { kind, children: [left, right] };
  }

  expectEnd(): void {
    if (this.at !== this.text.length) this.fail(`unexpected '${this.text[this.at]}'`);
  }

  private condition(): LogicalExpression {
    const child = this.primary();
    const op = this.text[this.at];
    if (op !== '=' && op !== '>' && op !== '<') return child;
    this.at++;
    const count = this.number();
    let distinct = 0;
    if (this.text[this.at] === ',') {
      this.at++;
      distinct = this.number();
    }
    return { kind: 'count', op, count, distinct, child };
  }

  private primary(): LogicalExpression {
    if (this.text[this.at] === '(') {
      this.at++;
      const inner = this.expression();
      if (this.text[this.at] !== ')') this.fail("expected ')'");
      this.at++;
      return inner;
    }
    const index = this.number();
    if (index >= this.subsignatureCount) this.fail(`subsignature ${index} does not exist (there are ${this.subsignatureCount})`);
    return { kind: 'sub', index };
  }

  private number(): number {
    const match = /^\d+/.exec(this.text.slice(this.at));
    if (match === null) this.fail('expected a number');
    this.at += match![0].length;
    return Number(match![0]);
  }

  private fail(reason: string): never {
    throw new FieldError(`logical expression '${this.text}' at position ${this.at}: ${reason}`);
  }
}
