// bench/report: how every bench prints its figures (one JSON line each) and folds repeated rounds.

/** One figure as a JSON line {metric, value, unit, ...extra}; the value keeps six significant digits. */
export function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ metric, value: Number(value.toPrecision(6)), unit, ...extra })}\n`);
}

/** The middle value (the upper middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
