import { NoteError, openNote, verifyCheckpoint } from '@aal/ledger-core';
import type { VerifiedCheckpoint, VerifierKey } from './log-verifier';
import { VerifierSetupError } from './verifier-setup.error';

export const TRUST_STATE_FORMAT = 'aal-ledger-verify-state/v1';

/**
 * What a verifier remembers between runs: the last checkpoint it verified in full (every entry up
 * to its size recomputed and its signature checked), and the key it was verified with. A later
 * run uses it to detect a log that shrank (rollback) or that shows another history (fork).
 */
export interface TrustState {
  readonly format: typeof TRUST_STATE_FORMAT;
  readonly origin: string;
  readonly treeSize: number;
  /** Hex. */
  readonly rootHash: string;
  /** The signed checkpoint note itself: evidence that the log once said this. */
  readonly note: string;
  /** The verifier key string it verified under. */
  readonly verifierKey: string;
  /** When this run finished (RFC 3339), for people. */
  readonly verifiedAt: string;
}

/** Parses a trust state file's text; throws `VerifierSetupError` `STATE.INVALID` naming the field. */
export function parseTrustState(text: string, source: string): TrustState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new VerifierSetupError('STATE.INVALID', `trust state ${source} is not JSON: ${(err as Error).message}`);
  }
  const bad = (what: string) => new VerifierSetupError('STATE.INVALID', `trust state ${source}: ${what}`);
  if (typeof raw !== 'object' || raw === null) throw bad('not an object');
  const s = raw as Record<string, unknown>;
  if (s['format'] !== TRUST_STATE_FORMAT) throw bad(`format is not ${TRUST_STATE_FORMAT}`);
  if (typeof s['origin'] !== 'string') throw bad('origin is not a string');
  if (!Number.isSafeInteger(s['treeSize']) || (s['treeSize'] as number) < 0) throw bad('treeSize is not a non-negative integer');
  if (typeof s['rootHash'] !== 'string' || !/^[0-9a-f]{64}$/.test(s['rootHash'])) throw bad('rootHash is not 32 bytes of lowercase hex');
  if (typeof s['note'] !== 'string') throw bad('note is not a string');
  if (typeof s['verifierKey'] !== 'string') throw bad('verifierKey is not a string');
  if (typeof s['verifiedAt'] !== 'string') throw bad('verifiedAt is not a string');
  return {
    format: TRUST_STATE_FORMAT,
    origin: s['origin'],
    treeSize: s['treeSize'] as number,
    rootHash: s['rootHash'],
    note: s['note'],
    verifierKey: s['verifierKey'],
    verifiedAt: s['verifiedAt'],
  };
}

/**
 * The trusted checkpoint to verify against, after checking that the state belongs to this log and
 * this key and that its note still verifies and says what the state says. Throws
 * `VerifierSetupError` (`STATE.OTHER_LOG`, `STATE.OTHER_KEY`, `STATE.INVALID`): a state that does
 * not fit is a usage problem, not evidence about the log.
 */
export function trustedCheckpoint(state: TrustState, key: VerifierKey, verifierKey: string, origin: string): VerifiedCheckpoint {
  if (state.origin !== origin) {
    throw new VerifierSetupError(
      'STATE.OTHER_LOG',
      `the trust state is for the log ${state.origin}, not ${origin}; pass --state with another file`,
    );
  }
  // A state written under another key carries over when its own note is signed by this key too:
  // the log signed with both keys during its rotation, so the new key vouches for the old state.
  if (state.verifierKey !== verifierKey && !signedBy(state.note, key)) {
    throw new VerifierSetupError(
      'STATE.OTHER_KEY',
      `the trust state was written under the key ${state.verifierKey}, not ${verifierKey}, and its checkpoint is not signed by ${verifierKey}; if the log's key was rotated without an overlap, start a new state file with --state`,
    );
  }
  try {
    const checkpoint = verifyCheckpoint(state.note, key, origin);
    if (checkpoint.size !== state.treeSize || checkpoint.rootHash.toString('hex') !== state.rootHash) {
      throw new VerifierSetupError('STATE.INVALID', `the trust state's size or root does not match its own signed note`);
    }
  } catch (err) {
    if (err instanceof NoteError)
      throw new VerifierSetupError('STATE.INVALID', `the trust state's checkpoint does not verify: ${err.message}`);
    throw err;
  }
  return { treeSize: state.treeSize, rootHash: state.rootHash, note: state.note };
}

function signedBy(note: string, key: VerifierKey): boolean {
  try {
    openNote(note, [key]);
    return true;
  } catch (err) {
    if (err instanceof NoteError) return false;
    throw err;
  }
}

/**
 * The state to save after a fully successful run: the latest verified checkpoint, or the previous
 * state when nothing newer was verified. Never moves backwards.
 */
export function advanceTrustState(
  previous: TrustState | null,
  latest: VerifiedCheckpoint | null,
  context: { origin: string; verifierKey: string; verifiedAt: string },
): TrustState | null {
  if (!latest || (previous && latest.treeSize <= previous.treeSize)) return previous;
  return {
    format: TRUST_STATE_FORMAT,
    origin: context.origin,
    treeSize: latest.treeSize,
    rootHash: latest.rootHash,
    note: latest.note,
    verifierKey: context.verifierKey,
    verifiedAt: context.verifiedAt,
  };
}

/** A file-name-safe slug of an origin: `localhost/ai-accountability-ledger` → `localhost-ai-accountability-ledger`. */
export function originSlug(origin: string): string {
  const slug = origin
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return slug === '' ? 'log' : slug;
}
