import type { EventKeySet } from '@aal/ledger-core';
import type { LedgerSource } from './ledger-source';
import {
  checkConsistencyProof,
  consistencyPairs,
  LogVerifier,
  type VerificationOutcome,
  type VerifiedCheckpoint,
  type VerifierKey,
} from './log-verifier';

export interface VerifyLogOptions {
  /** The trusted key. */
  readonly key: VerifierKey;
  readonly origin: string;
  /** From the trust state (already checked with `trustedCheckpoint`), or null on a first run. */
  readonly trusted: VerifiedCheckpoint | null;
  /** Trusted event signing keys per producer; when given, every entry's event signature is checked. */
  readonly eventKeys?: EventKeySet | null;
  /** Called after each page: entries verified so far, and the size the latest listed checkpoint claims. */
  readonly onProgress?: (verified: number, claimed: number) => void;
  /** Consistency-proof requests in flight at once. */
  readonly proofConcurrency?: number;
}

export type VerifyLogResult = VerificationOutcome & {
  /** Server consistency proofs checked (live sources only). */
  readonly consistencyProofs: number;
};

/**
 * Reads a log from `source` and verifies it with `LogVerifier`: checkpoints first, then entries
 * page by page, stopping at the first problem. When every entry and checkpoint verified and the
 * source serves consistency proofs, also checks the server's proof between each two successive
 * checkpoints (and from the trusted one), as a second, independent check on the server's tree.
 * I/O failures propagate as thrown `VerifierSetupError`s; problems with the log are returned.
 */
export async function verifyLog(source: LedgerSource, options: VerifyLogOptions): Promise<VerifyLogResult> {
  const checkpoints = await source.checkpoints();
  const engine = new LogVerifier({
    key: options.key,
    origin: options.origin,
    checkpoints,
    trusted: options.trusted,
    eventKeys: options.eventKeys ?? null,
  });
  if (!engine.done) {
    for await (const page of source.entries()) {
      engine.push(page);
      options.onProgress?.(engine.entriesVerified, engine.claimedSize);
      if (engine.done) break;
    }
  }
  const outcome = engine.finish();
  if (!outcome.ok || !source.consistencyProof) return { ...outcome, consistencyProofs: 0 };

  const pairs = consistencyPairs(options.trusted, outcome.checkpoints);
  const concurrency = Math.max(1, options.proofConcurrency ?? 8);
  for (let i = 0; i < pairs.length; i += concurrency) {
    const batch = pairs.slice(i, i + concurrency);
    const proofs = await Promise.all(batch.map(([from, to]) => source.consistencyProof!(from.treeSize, to.treeSize)));
    for (let j = 0; j < batch.length; j += 1) {
      const [from, to] = batch[j]!;
      const problem = checkConsistencyProof(from, to, proofs[j]);
      if (problem) return { ok: false, problem, entries: outcome.entries, checkpoints: outcome.checkpoints, consistencyProofs: i + j };
    }
  }
  return { ...outcome, consistencyProofs: pairs.length };
}
