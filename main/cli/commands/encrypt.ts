// `strata encrypt <folder>`: encrypt in place every plain file of a protected folder (first protection),
// streaming, crash-safe per file and resumable, with a progress bar; Ctrl-C stops after the file in hand.

import { encryptInPlace } from '../../../filters/crypt/encrypt-in-place.js';
import { sqliteJournal } from '../../../filters/crypt/encrypt-journal.js';
import { openStore } from '../../store/index.js';
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
        onProgress: (p) => bar.update({ label: 'encrypting', done: p.done, total: p.total, bytes: p.bytes, totalBytes: p.totalBytes, current: p.current }),
      });
      bar.finish();
      for (const failure of report.failed) ctx.io.writeErr(`strata: ${failure.path}: not encrypted (${failure.status})\n`);
      const summary = [
        `${crypt.folder}: ${report.encrypted.length} file(s) encrypted, ${report.skipped.length} already encrypted` +
          (report.failed.length > 0 ? `, ${report.failed.length} failed` : '') +
          (report.cleaned.length > 0 ? `, ${report.cleaned.length} leftover temporary file(s) removed` : ''),
      ];
      if (report.cancelled) summary.push('cancelled: run the same command again to resume');
      return { data: { folder: crypt.folder, ...report }, text: summary.join('\n'), exitCode: report.cancelled || report.failed.length > 0 ? EXIT_FAILURE : 0 };
    } finally {
      bar.finish();
      await crypt.close();
      store.close();
    }
  },
};
