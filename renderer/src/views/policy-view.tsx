// Policy export and import: save the whole policy as a file; take one in, see whether it is signed and,
// with a public key the user trusts, have the agent verify it; see exactly what it would change (a dry
// run on the agent), then apply it all at once or not at all.

import { useRef, useState } from 'react';
import { isSignatureRefusal, type ImportMode, type ImportPolicyResult, type TrustedKeyFile } from '../../../main/api/index.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorNotice } from '../components/error-notice.js';
import { SignatureRefusal, SignatureSummary } from '../components/policy-signature.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { exportFileName, MAX_POLICY_FILE_BYTES, parsePolicyFile } from '../state/policy-file.js';
import { claimedSignature, readTrustedKeyFile, type ClaimedSignature } from '../state/policy-signature.js';
import { useAction } from '../state/use-load.js';
import { formatBytes } from '../words/format.js';
import { PolicyDiff } from '../components/policy-diff.js';

export function PolicyView() {
  return (
    <div className="view">
      <ViewHeading>Policy file</ViewHeading>
      <ExportPanel />
      <ImportPanel />
    </div>
  );
}

function ExportPanel() {
  const { api } = useAgent();
  const [saved, setSaved] = useState<string | null>(null);
  const exporting = useAction(async () => {
    const document = await api.exportPolicy({});
    const name = exportFileName(new Date());
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' }));
    const link = Object.assign(window.document.createElement('a'), { href: url, download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setSaved(`${name}: ${document.folders.length} folder(s), ${document.tiers.length} tier(s), ${document.signatureSets.length} signature set(s).`);
  });
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>Saves every protected folder, cold tier, signature set and the removable-media policy to a file. Passphrases and keys are never included.</p>
      <button type="button" className="primary" disabled={exporting.busy} onClick={() => void exporting.run()}>Export policy…</button>
      {saved !== null && <p role="status">Saved {saved}</p>}
      <ErrorNotice error={exporting.error} />
    </section>
  );
}

interface Chosen {
  name: string;
  document: unknown;
  claim: ClaimedSignature;
}

function ImportPanel() {
  const { api } = useAgent();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mode, setMode] = useState<ImportMode>('merge');
  const [preview, setPreview] = useState<ImportPolicyResult | null>(null);
  const [applied, setApplied] = useState<ImportPolicyResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [trustedKey, setTrustedKey] = useState<TrustedKeyFile | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const latestCheck = useRef(0);

  // Only the latest check counts: an older answer (another file, mode or key) must not show its preview.
  const dryRun = useAction(async (document: unknown, importMode: ImportMode, key: TrustedKeyFile | null) => {
    const mine = ++latestCheck.current;
    try {
      const result = await api.importPolicy({ document, mode: importMode, dryRun: true, verifyWith: key ?? undefined });
      if (mine === latestCheck.current) setPreview(result);
    } catch (error) {
      if (mine === latestCheck.current) throw error;
    }
  });
  const choose = async (file: File | undefined) => {
    latestCheck.current++;
    setChosen(null);
    setPreview(null);
    setApplied(null);
    setFileError(null);
    dryRun.clearError();
    if (file === undefined) return;
    if (file.size > MAX_POLICY_FILE_BYTES) {
      setFileError(`${file.name} is ${formatBytes(file.size)}; a policy file can be at most ${formatBytes(MAX_POLICY_FILE_BYTES)}.`);
      return;
    }
    const parsed = parsePolicyFile(await file.text(), file.name);
    if (!parsed.ok) {
      setFileError(parsed.message);
      return;
    }
    setChosen({ name: file.name, document: parsed.document, claim: claimedSignature(parsed.document) });
    void dryRun.run(parsed.document, mode, trustedKey);
  };
  const changeMode = (next: ImportMode) => {
    setMode(next);
    setPreview(null);
    if (chosen) void dryRun.run(chosen.document, next, trustedKey);
  };
  const changeKey = async (file: File | undefined) => {
    latestCheck.current++;
    setKeyError(null);
    setPreview(null);
    setApplied(null);
    dryRun.clearError();
    const read = file === undefined ? null : await readTrustedKeyFile(file);
    if (read !== null && !read.ok) setKeyError(read.message);
    const key = read?.ok === true ? read.key : null;
    setTrustedKey(key);
    if (key === null && keyInput.current) keyInput.current.value = '';
    if (chosen) void dryRun.run(chosen.document, mode, key);
  };
  const apply = async () => {
    if (!chosen) return;
    // The agent checks the signature again with the same key, in the same request that applies.
    const result = await api.importPolicy({ document: chosen.document, mode, dryRun: false, verifyWith: trustedKey ?? undefined });
    setApplied(result);
    setPreview(null);
    setChosen(null);
  };

  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p>Choose a policy file. Nothing changes until you have seen what it would do and applied it.</p>
      <div className="field">
        <label htmlFor="policy-file">Policy file</label>
        <input id="policy-file" type="file" accept=".json,application/json" onChange={(e) => void choose(e.target.files?.[0])} />
      </div>
      <div className="field">
        <label htmlFor="policy-verify-key">Trusted public key (optional)</label>
        <input id="policy-verify-key" ref={keyInput} type="file" accept=".pub,.json,application/json" aria-describedby="policy-verify-key-hint" onChange={(e) => void changeKey(e.target.files?.[0])} />
        <p className="field-hint" id="policy-verify-key-hint">
          The .pub file that <code>strata policy keygen</code> wrote, from someone you trust. With it, a policy file is imported only if its signature verifies with this key.
        </p>
        {trustedKey && (
          <p>
            Signatures are checked with {trustedKey.name}.{' '}
            <button type="button" className="link-button" onClick={() => void changeKey(undefined)}>Stop checking</button>
          </p>
        )}
      </div>
      <fieldset>
        <legend>How to import</legend>
        <label className="radio">
          <input type="radio" name="import-mode" checked={mode === 'merge'} onChange={() => changeMode('merge')} /> Merge: add and update what the file names, keep everything else
        </label>
        <label className="radio">
          <input type="radio" name="import-mode" checked={mode === 'replace'} onChange={() => changeMode('replace')} /> Replace: make Strata's policy exactly the file's
        </label>
      </fieldset>
      {fileError !== null && <div className="notice notice-error" role="alert"><p>{fileError}</p></div>}
      {keyError !== null && <div className="notice notice-error" role="alert"><p>{keyError}</p></div>}
      {chosen && <SignatureSummary fileName={chosen.name} claim={chosen.claim} verified={preview?.verifiedWith ?? null} keyName={trustedKey?.name ?? null} />}
      {dryRun.busy && <p role="status">Checking {chosen?.name}…</p>}
      {chosen && trustedKey && isSignatureRefusal(dryRun.error)
        ? <SignatureRefusal error={dryRun.error} fileName={chosen.name} keyName={trustedKey.name} />
        : <ErrorNotice error={dryRun.error} />}
      {chosen && preview && (
        <div className="preview">
          <h3>What importing {chosen.name} would change</h3>
          <PolicyDiff result={preview} />
          <div className="button-row">
            <button type="button" className="primary" disabled={preview.changes.length === 0} onClick={() => setConfirming(true)}>
              {preview.changes.length === 0 ? 'Nothing to apply' : `Apply ${preview.changes.length} change${preview.changes.length === 1 ? '' : 's'}…`}
            </button>
            <button type="button" onClick={() => { setChosen(null); setPreview(null); }}>Cancel</button>
          </div>
        </div>
      )}
      {applied && (
        <p role="status" className="saved">
          Imported: {applied.changes.length} change{applied.changes.length === 1 ? '' : 's'} applied.
        </p>
      )}
      {confirming && chosen && preview && (
        <ConfirmDialog title={`Apply ${chosen.name}?`} confirmLabel="Apply" danger={mode === 'replace'} onConfirm={apply} onClose={() => setConfirming(false)}>
          <p>
            {preview.changes.length} change{preview.changes.length === 1 ? '' : 's'} will be applied together.
            {mode === 'replace' && preview.changes.some((c) => c.op === 'remove') && ' Folders, tiers or sets not in the file will be removed from Strata (their files stay on disk).'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
