// The checks a new passphrase gets before it leaves the page (the agent checks the length again).

export const MIN_PASSPHRASE_LENGTH = 8;

export function passphraseProblem(passphrase: string, again: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters`;
  if (passphrase !== again) return 'the two passphrases differ';
  return null;
}
