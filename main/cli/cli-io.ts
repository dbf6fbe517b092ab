// Where the CLI writes: stdout for results, stderr for errors and diagnostics.

export interface CliIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return {
    writeOut: (text) => void process.stdout.write(text),
    writeErr: (text) => void process.stderr.write(text),
    env: process.env,
  };
}
