// The signature of a policy file being imported: what the file claims (signed, and by which key; or not
// signed), whether a trusted key verified it, and the refusal when the check failed.

import type { ApiRequestError, VerifiedSignature } from '../../../main/api/index.js';
import { sentence, type ClaimedSignature } from '../state/policy-signature.js';

export function SignatureSummary({ fileName, claim, verified, keyName }: { fileName: string; claim: ClaimedSignature; verified: VerifiedSignature | null; keyName: string | null }) {
  return (
    <section className="signature-summary" aria-label="Signature">
      <h3>Signature</h3>
      {claim.kind === 'unsigned' && <p><strong>Not signed.</strong> Nothing shows who wrote {fileName} or that it is unchanged.</p>}
      {claim.kind === 'malformed' && <p><strong>The signature is malformed:</strong> {sentence(claim.message)}</p>}
      {claim.kind === 'signed' && (
        <dl>
          <dt>Signed with Ed25519 by this key (claimed)</dt>
          <dd className="path">{claim.publicKey}</dd>
          <dd className="field-hint">The file names this key itself, so anyone can write any key here: it proves nothing until a public key you trust verifies the signature.</dd>
        </dl>
      )}
      {verified !== null ? (
        <p role="status" className="saved">
          Signature verified with the key in {verified.keyFile} (<span className="path">{verified.publicKey}</span>).
        </p>
      ) : (
        keyName === null && claim.kind !== 'unsigned' && <p>Not verified: choose a trusted public key to check it.</p>
      )}
    </section>
  );
}

export function SignatureRefusal({ error, fileName, keyName }: { error: ApiRequestError; fileName: string; keyName: string }) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">Not imported: {fileName} did not pass the signature check with {keyName}.</p>
      <p>{sentence(error.message)}</p>
      <p>Nothing was changed.</p>
    </div>
  );
}
