// `strata sigs import <file|dir>` and `strata sigs list`: the ClamAV databases kept in the data dir, used
// by `strata scan` when no --db is given. An import that does not load completely changes nothing.

import { resolve } from 'node:path';
import { withStore } from '../../with-store.js';
import { EICAR_SIGNATURE_NAME } from '../../../../filters/scan/engine/builtin-signatures.js';
import { SignatureLibrary } from '../../../../filters/scan/storage/signature-library.js';
import { SignatureError } from '../../../../filters/scan/signatures/signature-error.js';
import type { GroupCommand, LeafCommand } from '../../command.js';
import { CliError } from '../../cli-error.js';

/** How many notices are printed before "and N more". */
const NOTICES_SHOWN = 10;

const importCommand: LeafCommand = {
  name: 'import',
  summary: 'import ClamAV databases (.hdb .hsb .ndb .ldb .cvd .cld, or a folder of them) into the data dir',
  define: (cmd) => cmd.argument('<file|dir>', 'a database file, or a folder whose database files are imported'),
  async run(ctx, { args }) {
    const source = resolve(args[0] as string);
    return withStore(ctx.dataDir, async (store) => {
      const result = await new SignatureLibrary(ctx.dataDir, store.db).import(source).catch((error: unknown) => {
        if (error instanceof SignatureError) throw new CliError(`nothing was imported: ${error.message}`);
        throw error;
      });
      const lines = result.imported.map((db) => `imported ${db.fileName}: ${db.signatures} signature(s)${db.skipped > 0 ? `, ${db.skipped} skipped` : ''}`);
      for (const notice of result.notices.slice(0, NOTICES_SHOWN)) lines.push(`  note: ${notice.file}${notice.line > 0 ? `:${notice.line}` : ''}: ${notice.message}`);
      if (result.notices.length > NOTICES_SHOWN) lines.push(`  … and ${result.notices.length - NOTICES_SHOWN} more skipped`);
      return { data: { imported: result.imported, notices: result.notices }, text: lines.join('\n') };
    });
  },
};

const listCommand: LeafCommand = {
  name: 'list',
  summary: 'list the imported databases (and the built-in signature)',
  run(ctx) {
    return withStore(ctx.dataDir, (store) => {
      const databases = new SignatureLibrary(ctx.dataDir, store.db).list();
      const total = databases.reduce((sum, db) => sum + db.signatures, 0);
      const text = [
        `(built-in)\t1 signature\t${EICAR_SIGNATURE_NAME}`,
        ...databases.map((db) => `${db.fileName}\t${db.signatures} signature(s)\timported ${new Date(db.importedAt).toISOString()} from ${db.importedFrom}`),
        `${total + 1} signature(s) in all${databases.length === 0 ? "; import databases with 'strata sigs import <file|dir>'" : ''}`,
      ].join('\n');
      return { data: { builtin: [EICAR_SIGNATURE_NAME], databases }, text };
    });
  },
};

export const sigsCommand: GroupCommand = {
  name: 'sigs',
  summary: 'manage the ClamAV signature databases strata scan uses',
  subcommands: [importCommand, listCommand],
};
