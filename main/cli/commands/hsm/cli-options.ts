// Parsers for numeric HSM options, with errors that name the option and the value.

import { UsageError } from '../../cli-error.js';

export function nonNegativeInteger(option: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`${option} must be a whole number of ${option.includes('age') ? 'seconds' : 'bytes'}, got '${value}'`);
    return Number(value);
  };
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
