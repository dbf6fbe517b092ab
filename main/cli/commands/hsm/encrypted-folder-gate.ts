// The content gate of an HSM command run from the CLI. The agent gives the HSM a gate that keeps a file
// local while its content is not yet in the form the folder's protections keep it (crypt: an age file);
// the CLI opens a folder with the HSM alone, so it sets the same rule for a folder that has a vault: a file
// there that is not yet an age file is waiting to be encrypted, and its plaintext must not go to the tier.

import { VERSION_LINE } from '../../../age/header.js';
import type { ContentGate } from '../../../../filters/hsm/index.js';
import { vaultExists } from '../../../../filters/crypt/vault/vault.js';

const AGE_HEADER = new TextEncoder().encode(`${VERSION_LINE}\n`);

const waitingToBeEncrypted: ContentGate = (head) =>
  head.length >= AGE_HEADER.length && AGE_HEADER.every((byte, i) => head[i] === byte)
    ? null
    : 'waiting to be encrypted (the folder has a vault; the agent or strata encrypt encrypts it first)';

/** The gate for `folder`: plaintext stays local in a folder that has a vault; none elsewhere. */
export async function contentGateFor(folder: string): Promise<ContentGate | undefined> {
  return (await vaultExists(folder)) ? waitingToBeEncrypted : undefined;
}
