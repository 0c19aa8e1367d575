/**
 * What a command-line tool run in-process wrote, with the streams and clocks its `io` parameter
 * takes (the verifier's and the monitor's CliIo, the ledger CLI's), so a test reads both streams after.
 */
export function capturedIo(cwd: string): {
  readonly io: {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: { write(text: string): unknown; isTTY: boolean };
    readonly cwd: string;
    readonly now: () => Date;
    readonly clock: () => number;
  };
  stdout(): string;
  stderr(): string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY: false },
      cwd,
      now: () => new Date(),
      clock: () => 0,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
