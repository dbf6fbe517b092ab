// Parses the logical expression of a .ldb signature: subsignature indexes combined with & and |,
// parentheses, and match-count conditions `=n`, `>n`, `<n` (optionally `,m`: at least m distinct
// subsignatures). & and | share one precedence and group from the left, as ClamAV evaluates them.

import { FieldError } from './signature-error.js';
import type { LogicalExpression } from './signature-types.js';

export function parseLogicalExpression(text: string, subsignatureCount: number): LogicalExpression {
  const parser = new ExpressionParser(text, subsignatureCount);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

class ExpressionParser {
  private at = 0;
  constructor(private readonly text: string, private readonly subsignatureCount: number) {}

  expression(): LogicalExpression {
    let left = this.condition();
    for (;;) {
      const op = this.text[this.at];
      if (op !== '&' && op !== '|') return left;
      this.at++;
      const right = this.condition();
      const kind = op === '&' ? 'and' : 'or';
      left = left.kind === kind ? { kind, children: [...left.children, right] } : { kind, children: [left, right] };
    }
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
