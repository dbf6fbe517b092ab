// Entry of the `strata` command; bin/strata.js imports this once it has checked the Node version.
import { runCli } from './run-cli.js';

// `strata status | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv);
