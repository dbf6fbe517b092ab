// `strata encrypt <folder>`: encrypt in place every plain file of a protected folder (first protection),
// streaming, crash-safe per file and resumable, with a progress bar; Ctrl-C stops the file in hand (its
// partial copy is deleted, the file stays plain) and the next run resumes. Exit status 1 when anything
// was left plain: a file that failed, a run cancelled. A file with other names (hard links) is encrypted
// and said to be: its other names outside the folder still lead to the plaintext, out of Strata's reach.

import { sep } from 'node:path';
import { encryptInPlace, type EncryptReport } from '../../../filters/crypt/encrypt-in-place.js';
import { sqliteJournal } from '../../../filters/crypt/encrypt-journal.js';
import { STUB_MAX_SIZE, looksLikeStub } from '../../../filters/hsm/stub/stub-format.js';
import { openStore } from '../../store/index.js';
import { hostRelativeOf } from '../../volumes/index.js';
import { EXIT_FAILURE } from '../cli-error.js';
import type { LeafCommand } from '../command.js';
import { createProgressBar } from '../progress.js';
import { openCryptFolder } from './crypt/crypt-folder.js';

export const encryptCommand: LeafCommand = {
  name: 'encrypt',
  summary: 'encrypt in place every plain file of a protected folder (resumable, Ctrl-C to stop)',
  define: (cmd) => {
    cmd.argument('<folder>', 'the protected folder (with a vault)');
    cmd.option('--passphrase-file <file>', 'unlock with the passphrase in <file> instead of the unlock session');
  },
  async run(ctx, { args, options }) {
    const store = openStore(ctx.dataDir);
    const crypt = await openCryptFolder(ctx, args[0], options.passphraseFile);
    const bar = createProgressBar(ctx.io, { enabled: !ctx.json });
    try {
      const report = await encryptInPlace(crypt.volume, {
        signal: ctx.signal,
        journal: sqliteJournal(store.db),
        folderKey: crypt.folder,
        // This stack has no HSM filter to recall a stub's content: a stub is left for the agent.
        isColdStub: (size, head) => size <= STUB_MAX_SIZE && looksLikeStub(head),
        onProgress: (p) => bar.update({ label: 'encrypting', done: p.done, total: p.total, bytes: p.bytes, totalBytes: p.totalBytes, current: p.current && shown(p.current) }),
      });
      bar.finish();
      for (const failure of report.failed) ctx.io.writeErr(`strata: ${shown(failure.path)}: not encrypted: ${reasonOf(failure)}\n`);
      for (const path of report.cold) ctx.io.writeErr(`strata: ${shown(path)}: left as it is: its content is in cold storage (an HSM stub); the agent encrypts it, recalled, once the folder is protected with encryption there\n`);
      for (const path of report.linked) ctx.io.writeErr(`strata: ${shown(path)}: encrypted, but the file has other names (hard links): any outside this folder still hold its plaintext\n`);
      for (const path of report.foreign) ctx.io.writeErr(`strata: ${shown(path)}: left as it is: an age file encrypted to another key than this vault's\n`);
      return { data: { folder: crypt.folder, ...report }, text: summaryOf(crypt.folder, report), exitCode: report.cancelled || report.failed.length > 0 ? EXIT_FAILURE : 0 };
    } finally {
      bar.finish();
      await crypt.close();
      store.close();
    }
  },
};

function summaryOf(folder: string, report: EncryptReport): string {
  const counts = [
    `${report.encrypted.length} file(s) encrypted`,
    ...(report.linked.length > 0 ? [`${report.linked.length} with other names (hard links) that may still hold the plaintext`] : []),
    `${report.skipped.length} already encrypted`,
    ...(report.foreign.length > 0 ? [`${report.foreign.length} encrypted to another key (left alone)`] : []),
    ...(report.cold.length > 0 ? [`${report.cold.length} in cold storage (left alone)`] : []),
    ...(report.failed.length > 0 ? [`${report.failed.length} failed`] : []),
    ...(report.gone.length > 0 ? [`${report.gone.length} deleted during the run`] : []),
    ...(report.cleaned.length > 0 ? [`${report.cleaned.length} leftover temporary file(s) removed`] : []),
  ];
  const lines = [`${folder}: ${counts.join(', ')}`];
  if (report.cancelled) lines.push('cancelled: run the same command again to resume');
  return lines.join('\n');
}

/** The failure's reason, naming its status once. */
function reasonOf(failure: EncryptReport['failed'][number]): string {
  return failure.reason.includes(failure.status) ? failure.reason : `${failure.status}: ${failure.reason}`;
}

/** A volume name ("\dir\a.txt") as the user knows it: relative to the folder, with the host's separators. */
function shown(name: string): string {
  return hostRelativeOf(name, sep);
}
