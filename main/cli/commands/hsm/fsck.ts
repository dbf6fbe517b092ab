// `strata hsm fsck <folder> [--repair]`: checks stubs against their tier and the tier against its stubs;
// exits 1 while problems remain. --repair fixes only what cannot lose data.

import { fsckFolder } from '../../../../filters/hsm/engine/fsck.js';
import type { LeafCommand } from '../../command.js';
import { EXIT_FAILURE } from '../../cli-error.js';
import { withHsmSession } from './with-session.js';

export const fsckCommand: LeafCommand = {
  name: 'fsck',
  summary: 'find stubs without objects, objects without stubs and hash mismatches; --repair what is safe',
  define: (cmd) =>
    cmd
      .argument('<folder>', 'the protected folder')
      .option('--repair', 'catalog forgotten stubs again, drop stale rows, delete orphan objects and stray temporary stubs')
      .option('--quick', 'do not re-hash every cold copy (sizes are still checked)'),
  run: (ctx, { args, options }) =>
    withHsmSession(ctx, args[0] as string, async ({ volume }) => {
      const report = await fsckFolder(volume, { repair: options.repair === true, verifyHashes: options.quick !== true });
      const lines = report.findings.map((finding) => `${finding.repaired ? 'repaired' : finding.repairable ? 'repairable' : 'PROBLEM'}  ${finding.kind}  ${finding.subject}: ${finding.detail}`);
      lines.push(`${report.stubs} stub(s), ${report.objectsChecked} cold cop${report.objectsChecked === 1 ? 'y' : 'ies'} checked; ${report.findings.length} finding(s), ${report.problems} left`);
      if (report.problems > 0 && options.repair !== true && report.findings.some((finding) => finding.repairable)) lines.push('Run again with --repair to fix the repairable ones.');
      return { data: report, text: lines.join('\n'), exitCode: report.problems > 0 ? EXIT_FAILURE : 0 };
    }),
};
