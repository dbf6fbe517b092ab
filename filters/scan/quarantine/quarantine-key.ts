// Strata's own quarantine key: an X25519 age identity in the data dir (owner-only, 0600), written in the
// age-keygen file format so that the stock `age -d -i <file>` can open any quarantined file. Created on
// first use; a key file others can read is refused rather than trusted.

import { readFile, stat } from 'node:fs/promises';
import { X25519Identity, loadSodium, type Sodium } from '../../../main/age/index.js';
import { writeFileDurably } from '../../../main/store/index.js';

export class QuarantineKeyError extends Error {
  override readonly name = 'QuarantineKeyError';
}

export async function loadOrCreateQuarantineKey(path: string): Promise<{ sodium: Sodium; identity: X25519Identity }> {
  const sodium = await loadSodium();
  let text: string;
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      throw new QuarantineKeyError(`the quarantine key ${path} is readable by others (mode ${(info.mode & 0o777).toString(8)}); make it 0600 (chmod 600) or move it away`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const identity = X25519Identity.generate(sodium);
    const content = `# created: ${new Date().toISOString()}\n# public key: ${identity.recipient().toString()}\n# Strata's quarantine key: age -d -i ${path} <file>.age opens a quarantined file.\n${identity.toString()}\n`;
    await writeFileDurably(path, Buffer.from(content, 'utf8'), { mode: 0o600, overwrite: false });
    return { sodium, identity };
  }
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('AGE-SECRET-KEY-1'));
  if (line === undefined) throw new QuarantineKeyError(`the quarantine key ${path} holds no AGE-SECRET-KEY-1… line`);
  try {
    return { sodium, identity: X25519Identity.parse(sodium, line) };
  } catch (error) {
    throw new QuarantineKeyError(`the quarantine key ${path} is damaged: ${(error as Error).message}`);
  }
}
