/**
 * Where a verifier reads a log from: the ledger's HTTP API or an exported bundle. Everything a
 * source returns is untrusted; the verification engine checks it. Failures to read are thrown as
 * `VerifierSetupError` (`SOURCE.*`), never reported as problems with the log.
 */
export interface LedgerSource {
  /** For messages: the URL or file name. */
  readonly description: string;
  /** The origin and verifier key the source announces: used only as a default, or when the user explicitly trusts it. */
  announced(): Promise<{ origin: string; verifierKey: string }>;
  /** Every checkpoint the log lists; with `afterId`, only those listed after the checkpoint of that id. */
  checkpoints(afterId?: number): Promise<unknown[]>;
  /** The entries from seq `from` (default 0), page by page, in the order the source gives them. */
  entries(from?: number): AsyncIterable<unknown[]>;
  /** The newest checkpoint note carrying witness cosignatures, or null when none is; only live logs serve it. */
  witnessedCheckpoint?(): Promise<string | null>;
  /** The RFC 9162 consistency proof between two tree sizes (hex hashes); only live logs serve them. */
  consistencyProof?(from: number, to: number): Promise<unknown>;
}
