/**
 * Runs a command-line tool's `main(argv)` as the process: exits with the status it resolves to,
 * and with 2 (its stack on stderr) when it throws. Shared by bin/launch.js (inside the repository)
 * and the packed `ledger-verify` (scripts/pack-verifier.js), so both behave the same.
 */
export function runAsProcess(tool: string, main: (argv: readonly string[]) => Promise<number>): void {
  // A reader that stops early (`… --help | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (err: unknown) => {
      process.stderr.write(`${tool}: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
      process.exit(2);
    },
  );
}
