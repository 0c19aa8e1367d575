/**
 * Codes of `VerifierSetupError`:
 * - `SETUP.BAD_KEY`, `SETUP.BAD_OPTION`: the user's input.
 * - `STATE.*`: the trust state file.
 * - `SOURCE.HTTP_STATUS`, `SOURCE.NETWORK`, `SOURCE.BAD_RESPONSE`: the ledger URL.
 * - `SOURCE.BUNDLE_UNREADABLE`, `SOURCE.BUNDLE_INVALID`: the bundle file.
 */
export type VerifierSetupCode =
  | 'SETUP.BAD_KEY'
  | 'SETUP.BAD_OPTION'
  | 'STATE.INVALID'
  | 'STATE.OTHER_LOG'
  | 'STATE.OTHER_KEY'
  | 'STATE.IO'
  | 'SOURCE.HTTP_STATUS'
  | 'SOURCE.NETWORK'
  | 'SOURCE.BAD_RESPONSE'
  | 'SOURCE.BUNDLE_UNREADABLE'
  | 'SOURCE.BUNDLE_INVALID';

/**
 * The verifier could not run as asked: a bad key or option, a trust state that does not fit,
 * an unreachable or unreadable source. Says nothing about the log itself (the CLI exits 2).
 */
export class VerifierSetupError extends Error {
  override readonly name = 'VerifierSetupError';

  constructor(
    readonly code: VerifierSetupCode,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
