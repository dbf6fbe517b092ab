// Entry of the `strata` command; bin/strata.js imports this once it has checked the Node version.
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// `strata status | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Ctrl-C asks the running command to stop (it finishes the file in hand and reports); a second one exits.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new Error('interrupted'));
});

process.exitCode = await runCli(process.argv, processIo(), interrupt.signal);
