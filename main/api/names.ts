// The small value types of a policy: names, absolute paths, altitudes, globs, each with the rule that
// makes it valid, so every client (CLI, GUI, import) refuses the same inputs with the same words.

import { z } from 'zod';

/** A folder, tier or signature-set name a person chose: printable, trimmed, at most 100 characters. */
export const DisplayName = z
  .string()
  .min(1, 'a name cannot be empty')
  .max(100, 'a name has at most 100 characters')
  .refine((s) => s.trim() === s, 'a name cannot start or end with spaces')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a name cannot contain control characters');

/**
 * A reference name (tier, signature set): letters, digits, dot, dash, underscore; at most 63 characters,
 * the HSM's limit for the tier names it records (a longer tier name was accepted here, then failed to attach).
 */
export const RefName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use 1-63 letters, digits, ".", "-" or "_", starting with a letter or digit');

const POSIX_ABSOLUTE = /^\//;
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+)/;

/** Why `path` is not a clean absolute path, or null when it is. Pure string rules, any OS. */
export function absolutePathProblem(path: string): string | null {
  if (path.includes('\0')) return 'a path cannot contain a NUL character';
  if (path.length > 4096) return 'a path has at most 4096 characters';
  const windows = WINDOWS_ABSOLUTE.test(path);
  if (!windows && !POSIX_ABSOLUTE.test(path)) return `'${path}' is not an absolute path`;
  const parts = path.split(windows ? /[\\/]/ : '/');
  if (parts.some((part) => part === '.' || part === '..')) return `'${path}' contains '.' or '..' segments; give the resolved path`;
  if (parts.length > 2 && parts[parts.length - 1] === '') return `'${path}' ends with a separator`;
  return null;
}

export const AbsolutePath = z.string().superRefine((path, ctx) => {
  const problem = absolutePathProblem(path);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** An altitude as the filter manager takes it: "320000" or "185000.5". */
export const Altitude = z.string().regex(/^\d{1,12}(?:\.\d{1,12})?$/, 'an altitude is a decimal number such as "320000" or "185000.5"');

/** A folder-relative glob: "*.log", "**\/cache/**", "photos/*.raw". */
export const Glob = z
  .string()
  .min(1, 'a glob cannot be empty')
  .max(500, 'a glob has at most 500 characters')
  .refine((g) => !g.includes('\0'), 'a glob cannot contain a NUL character')
  .refine((g) => !g.startsWith('/') && !g.startsWith('\\'), 'a glob is relative to the folder; drop the leading separator')
  .refine((g) => !g.split(/[\\/]/).includes('..'), "a glob cannot contain '..'");

/** ISO-8601 UTC timestamps, as the API sends every time. */
export const Timestamp = z.iso.datetime({ offset: true });
