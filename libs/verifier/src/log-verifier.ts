import {
  entryLeafHash,
  GENESIS_CHAIN_HASH,
  MerkleAccumulator,
  nextChainHash,
  NoteError,
  ProofError,
  type EventKeySet,
  verifyCheckpoint,
  verifyConsistency,
  type Checkpoint,
  type NodeId,
} from '@aal/ledger-core';
import { entrySignatureProblem } from './event-signature-check';
import type { CheckpointEvidence, VerificationProblem } from './verification-problem';
import { decodeCheckpoint, decodeEntry, type DecodedEntry, type WireCheckpoint } from './wire-format';

/** A trusted verifier key, as `parseVerifierKey` returns it. */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

/** A checkpoint this verifier has seen verify: signed by the trusted key, root recomputed. */
export interface VerifiedCheckpoint {
  readonly id?: number;
  readonly treeSize: number;
  /** Hex. */
  readonly rootHash: string;
  readonly note: string;
}

/**
 * How many entries after a suspicious one are examined to tell a reordering from a gap, and how
 * far a moved entry's original position is searched for. Costs nothing on an honest log.
 */
export const LOOKAHEAD = 1024;

export interface LogVerifierSettings {
  /** The key checkpoints MUST be signed with: the user's, never one the server supplied unasked. */
  readonly key: VerifierKey;
  /** The origin line every checkpoint MUST carry. */
  readonly origin: string;
  /** Every checkpoint the log lists, in any order; untrusted until verified. */
  readonly checkpoints: readonly unknown[];
  /** The last checkpoint a previous run verified in full, if any. Its note MUST already be verified. */
  readonly trusted?: VerifiedCheckpoint | null;
  /**
   * Trusted event signing keys per producer (`--event-keys`). When given, every entry's event
   * signature MUST verify with a key of the producer its source names; when absent, who emitted
   * each event is not checked.
   */
  readonly eventKeys?: EventKeySet | null;
  /**
   * Continue from a point an earlier run of this verifier reached (`resumePoint()`), instead of
   * from seq 0: entries MUST then start at `resume.size`, and listed checkpoints below that size
   * are skipped. The point's hashes are trusted: resume only from a point you computed.
   */
  readonly resume?: ResumePoint | null;
}

/**
 * Where verification stood at a verified checkpoint: its size, the chain hash after its last
 * entry and the tree's right edge. O(log size) bytes, so a follower's memory stays bounded.
 */
export interface ResumePoint {
  readonly size: number;
  readonly chainHash: Buffer;
  readonly rightEdge: Array<{ id: NodeId; hash: Buffer }>;
}

export type VerificationOutcome =
  | {
      readonly ok: true;
      /** Entries whose leaf and chain hashes were recomputed and matched. */
      readonly entries: number;
      /** Verified checkpoints in tree-size order. */
      readonly checkpoints: readonly VerifiedCheckpoint[];
      readonly latest: VerifiedCheckpoint | null;
      /** Entries after the latest verified checkpoint: chained, but not yet signed by the log. */
      readonly uncoveredEntries: number;
    }
  | {
      readonly ok: false;
      readonly problem: VerificationProblem;
      readonly entries: number;
      readonly checkpoints: readonly VerifiedCheckpoint[];
    };

/** What made the verifier stop and look ahead before naming the problem. */
type Suspect =
  | { readonly kind: 'seq-ahead'; readonly entry: DecodedEntry; readonly window: unknown[] }
  | { readonly kind: 'moved-later'; readonly entry: DecodedEntry; readonly origin: number; readonly window: unknown[] };

/**
 * The streaming verification engine. Pure: it is given pages of entries and the checkpoint list
 * and does no I/O. For every entry, in order, it checks that `seq` continues from 0 without gaps,
 * recomputes the leaf hash from the raw fields and the chain hash from the previous chain value
 * (the stored hashes are compared, never trusted), and appends the leaf to a Merkle accumulator.
 * When the accumulator reaches a checkpoint's tree size, that checkpoint MUST verify with the
 * trusted key and origin, and its root MUST equal the recomputed root; so every two verified
 * checkpoints are consistent by construction. With a trusted checkpoint from an earlier run, the
 * log MUST not have shrunk below it (rollback) and its tree at that size MUST be the same (fork).
 *
 * Usage: `push` each page in order until it returns a problem (or the pages end), then `finish`.
 * The first problem by log position is reported; after it the verifier ignores further input.
 */
export class LogVerifier {
  private readonly key: VerifierKey;
  private readonly origin: string;
  private readonly trusted: VerifiedCheckpoint | null;
  private readonly eventKeys: EventKeySet | null;
  /** Batch signatures already checked in this run (see `entrySignatureProblem`). */
  private readonly signatureMemo = new Map<string, boolean>();
  private readonly pending: WireCheckpoint[] = [];
  private pendingIndex = 0;
  private readonly verified: VerifiedCheckpoint[] = [];
  private readonly tree: MerkleAccumulator;
  private chain: Buffer;
  /** The next expected seq; equals the number of entries verified and the accumulator size. */
  private next: number;
  /** The point reached at the latest verified checkpoint (or where this run resumed). */
  private checkpointPoint: ResumePoint;
  /** Stored leaf hashes of the last LOOKAHEAD entries, by seq modulo LOOKAHEAD, to recognise a copy. */
  private readonly recentLeaves: Buffer[] = new Array<Buffer>(LOOKAHEAD);
  private suspect: Suspect | null = null;
  private problem: VerificationProblem | null = null;

  constructor(settings: LogVerifierSettings) {
    this.key = settings.key;
    this.origin = settings.origin;
    this.trusted = settings.trusted ?? null;
    this.eventKeys = settings.eventKeys ?? null;
    const resume = settings.resume ?? null;
    this.tree = resume ? new MerkleAccumulator({ size: resume.size, rightEdge: resume.rightEdge }) : new MerkleAccumulator();
    this.chain = resume ? Buffer.from(resume.chainHash) : GENESIS_CHAIN_HASH;
    this.next = resume?.size ?? 0;
    this.checkpointPoint = resume ?? { size: 0, chainHash: GENESIS_CHAIN_HASH, rightEdge: [] };
    for (const raw of settings.checkpoints) {
      const decoded = decodeCheckpoint(raw);
      if (!decoded.ok) {
        this.problem = {
          kind: 'checkpoint-malformed',
          detail: `a listed checkpoint ${decoded.reason}`,
          evidence: { reason: decoded.reason, checkpoint: raw },
        };
        return;
      }
      this.pending.push(decoded.value);
    }
    this.pending.sort((a, b) => a.treeSize - b.treeSize);
    // Checkpoints below a resume point were verified before (or are older than it); the latest is still checked against the trusted one.
    while (resume && this.pendingIndex < this.pending.length && this.pending[this.pendingIndex]!.treeSize < resume.size)
      this.pendingIndex += 1;
    this.problem = this.checkLatestAgainstTrusted() ?? this.reachedSize();
  }

  /** Entries verified so far. */
  get entriesVerified(): number {
    return this.next;
  }

  /** The largest tree size any listed checkpoint claims: how many entries the log should serve. */
  get claimedSize(): number {
    return this.pending.length > 0 ? this.pending[this.pending.length - 1]!.treeSize : 0;
  }

  /** Entries proven so far: the size of the latest checkpoint verified (or of the resume point). */
  get provenSize(): number {
    return this.checkpointPoint.size;
  }

  /** The latest checkpoint verified in this run, or null. */
  get latestVerified(): VerifiedCheckpoint | null {
    return this.verified[this.verified.length - 1] ?? null;
  }

  /** Where a later run may resume: the point at the latest verified checkpoint. */
  resumePoint(): ResumePoint {
    return {
      size: this.checkpointPoint.size,
      chainHash: Buffer.from(this.checkpointPoint.chainHash),
      rightEdge: this.checkpointPoint.rightEdge.map((n) => ({ id: n.id, hash: Buffer.from(n.hash) })),
    };
  }

  /** True once a problem is certain: further pages change nothing. */
  get done(): boolean {
    return this.problem !== null;
  }

  /** Feeds the next page of entries (untrusted wire objects) in log order. */
  push(page: readonly unknown[]): VerificationProblem | null {
    for (const raw of page) {
      if (this.problem) break;
      if (this.suspect) {
        this.suspect.window.push(raw);
        if (this.suspect.window.length >= LOOKAHEAD) this.problem = this.classifySuspect();
        continue;
      }
      this.problem = this.accept(raw);
    }
    return this.problem;
  }

  /**
   * Feeds the next entry when the reader has hashed it already: `leaf` is the leaf hash of the
   * entry's bytes as read (a log export's `entry` member, see log-export-format.ts), `storedLeaf`
   * and `storedChain` the hashes stored with it. When the entry is in place and both hashes agree
   * it costs one chain hash and one tree append; anything else (and every entry when event keys
   * are given) goes through `push` with `raw()`, the entry as a wire object, so each problem is
   * named and evidenced as for any other source.
   */
  pushHashed(seq: number, leaf: Buffer, storedLeaf: Buffer, storedChain: Buffer, raw: () => unknown): VerificationProblem | null {
    if (this.problem) return this.problem;
    if (this.suspect || this.eventKeys || seq !== this.next || !leaf.equals(storedLeaf)) return this.push([raw()]);
    const chain = nextChainHash(this.chain, leaf);
    if (!chain.equals(storedChain)) return this.push([raw()]);
    this.chain = chain;
    this.tree.append(leaf);
    this.recentLeaves[seq % LOOKAHEAD] = leaf;
    this.next = seq + 1;
    this.problem = this.reachedSize();
    return this.problem;
  }

  /**
   * Feeds a checkpoint found in the stream (a log export lists each right after the entries it
   * covers), beside those given to the constructor. One of the current size is checked at once;
   * a later one when the entries reach it; an earlier one cannot be checked any more (the tree of
   * that size is gone), so it is refused as misplaced. A checkpoint already listed (same id and
   * note) is skipped.
   */
  pushCheckpoint(raw: unknown): VerificationProblem | null {
    // After a suspicious entry a problem is certain: only the entries after it still matter.
    if (this.problem || this.suspect) return this.problem;
    const decoded = decodeCheckpoint(raw);
    if (!decoded.ok) {
      this.problem = {
        kind: 'checkpoint-malformed',
        detail: `a listed checkpoint ${decoded.reason}`,
        evidence: { reason: decoded.reason, checkpoint: raw },
      };
      return this.problem;
    }
    const listed = decoded.value;
    if (this.isListed(listed)) return null;
    if (listed.treeSize < this.next) {
      const reason = `comes after entry ${this.next - 1} but covers only ${listed.treeSize} entries: each checkpoint must come right after the entries it covers`;
      this.problem = {
        kind: 'checkpoint-malformed',
        checkpointSize: listed.treeSize,
        detail: `checkpoint ${listed.id} ${reason}`,
        evidence: { reason, checkpoint: raw },
      };
      return this.problem;
    }
    let at = this.pending.length;
    while (at > this.pendingIndex && this.pending[at - 1]!.treeSize > listed.treeSize) at -= 1;
    this.pending.splice(at, 0, listed);
    if (listed.treeSize === this.next) this.problem = this.reachedSize();
    return this.problem;
  }

  /**
   * Ends the input with a problem the reader found at the current position (a line it cannot
   * read): a suspicion raised by an earlier entry is named first, as it lies earlier in the log.
   */
  fail(problem: VerificationProblem): void {
    if (this.problem) return;
    this.problem = this.suspect ? this.classifySuspect() : problem;
  }

  /** Ends the input: names any pending problem and checks what the end of the log implies. */
  finish(): VerificationOutcome {
    if (!this.problem && this.suspect) this.problem = this.classifySuspect();
    if (!this.problem) this.problem = this.checkEnd();
    if (this.problem) return { ok: false, problem: this.problem, entries: this.next, checkpoints: [...this.verified] };
    const latest = this.verified[this.verified.length - 1] ?? null;
    return {
      ok: true,
      entries: this.next,
      checkpoints: [...this.verified],
      latest,
      uncoveredEntries: this.next - (latest?.treeSize ?? 0),
    };
  }

  // ---- entries --------------------------------------------------------------------------------

  private accept(raw: unknown): VerificationProblem | null {
    const position = this.next;
    const decoded = decodeEntry(raw);
    if (!decoded.ok) {
      return {
        kind: 'entry-malformed',
        seq: position,
        detail: `the entry at seq ${position} ${decoded.reason}`,
        evidence: { position, reason: decoded.reason, entry: raw },
      };
    }
    const entry = decoded.value;
    if (entry.seq !== position) {
      if (entry.seq < position) return this.earlierSeq(entry, raw);
      this.suspect = { kind: 'seq-ahead', entry, window: [] };
      return null;
    }
    const leaf = entryLeafHash(entry);
    if (!leaf.equals(entry.storedLeafHash)) return this.leafMismatch(entry, raw, leaf);
    const chain = nextChainHash(this.chain, leaf);
    if (!chain.equals(entry.storedChainHash)) {
      return {
        kind: 'chain-broken',
        seq: position,
        detail: `the chain breaks at seq ${position}: its stored chain hash does not follow from the entry before it`,
        evidence: {
          previousChainHash: hex(this.chain),
          leafHash: hex(leaf),
          storedChainHash: hex(entry.storedChainHash),
          computedChainHash: hex(chain),
        },
      };
    }
    // The entry is the one the log recorded; whether its producer really emitted it is separate.
    if (this.eventKeys) {
      const unproven = entrySignatureProblem(entry, raw, this.eventKeys, this.signatureMemo);
      if (unproven) return unproven;
    }
    this.chain = chain;
    this.tree.append(leaf);
    this.recentLeaves[position % LOOKAHEAD] = leaf;
    this.next = position + 1;
    return this.reachedSize();
  }

  /** An entry claims a seq that was already verified: a copy of it, or a second entry for that seq. */
  private earlierSeq(entry: DecodedEntry, raw: unknown): VerificationProblem {
    const position = this.next;
    if (this.recentLeafIs(entry.seq, entry.storedLeafHash) && entryLeafHash(entry).equals(entry.storedLeafHash)) {
      return {
        kind: 'duplicate',
        seq: entry.seq,
        detail: `entry ${entry.seq} appears again after seq ${position - 1}`,
        evidence: { position, originalSeq: entry.seq, entry: raw },
      };
    }
    return {
      kind: 'inserted',
      seq: entry.seq,
      detail: `a second, different entry claims seq ${entry.seq}; it appears after seq ${position - 1}`,
      evidence: { position, claimedSeq: entry.seq, count: 1, entry: raw },
    };
  }

  /**
   * The content does not hash to the stored leaf. If the stored leaf is this content's leaf at
   * another seq, the entry was moved (and renumbered) rather than changed.
   */
  private leafMismatch(entry: DecodedEntry, raw: unknown, computed: Buffer): VerificationProblem | null {
    const position = this.next;
    const origin = originalSeq(entry);
    if (origin === null) {
      return {
        kind: 'entry-tampered',
        seq: position,
        detail: `entry ${position} was changed: its content does not hash to the leaf hash stored with it`,
        evidence: { storedLeafHash: hex(entry.storedLeafHash), computedLeafHash: hex(computed), entry: raw },
      };
    }
    if (origin < position) {
      if (this.recentLeafIs(origin, entry.storedLeafHash)) {
        return {
          kind: 'duplicate',
          seq: position,
          detail: `entry ${position} is a renumbered copy of entry ${origin}`,
          evidence: { position, originalSeq: origin, entry: raw },
        };
      }
      return {
        kind: 'inserted',
        seq: origin,
        detail: `${plural(position - origin, 'entry was', 'entries were')} inserted at seq ${origin}: the entry now at seq ${position} was recorded as seq ${origin}`,
        evidence: { position, claimedSeq: origin, count: position - origin, entry: raw },
      };
    }
    this.suspect = { kind: 'moved-later', entry, origin, window: [] };
    return null;
  }

  /** Decides, from the entries after the suspect one, whether the expected entry was moved or is missing. */
  private classifySuspect(): VerificationProblem {
    const suspect = this.suspect!;
    this.suspect = null;
    const expected = this.next;
    const found = suspect.window.findIndex((raw) => {
      const decoded = decodeEntry(raw);
      if (!decoded.ok) return false;
      if (suspect.kind === 'seq-ahead') return decoded.value.seq === expected;
      return decoded.value.seq === expected || originalSeqIs(decoded.value, expected);
    });
    const foundSeq = suspect.kind === 'seq-ahead' ? suspect.entry.seq : suspect.origin;
    const renumbered = suspect.kind === 'moved-later';
    if (found >= 0) {
      return {
        kind: 'reordered',
        seq: expected,
        detail: `entries are out of order at seq ${expected}: entry ${foundSeq} comes before it${renumbered ? ' (renumbered)' : ''}`,
        evidence: { expectedSeq: expected, foundSeq, renumbered, foundLaterAt: expected + 1 + found },
      };
    }
    const missing = foundSeq - expected;
    return {
      kind: 'gap',
      seq: expected,
      detail:
        missing === 1
          ? `entry ${expected} is missing${renumbered ? ' (the entries after it were renumbered to close the gap)' : ''}`
          : `entries ${expected} to ${foundSeq - 1} are missing${renumbered ? ' (the entries after them were renumbered to close the gap)' : ''}`,
      evidence: { expectedSeq: expected, foundSeq, missing, renumbered },
    };
  }

  private recentLeafIs(seq: number, leaf: Buffer): boolean {
    return seq < this.next && seq >= this.next - LOOKAHEAD && this.recentLeaves[seq % LOOKAHEAD]?.equals(leaf) === true;
  }

  // ---- checkpoints ----------------------------------------------------------------------------

  /** Whether a checkpoint with this id and note is already pending or verified at its size. */
  private isListed(c: WireCheckpoint): boolean {
    for (let i = this.pendingIndex; i < this.pending.length && this.pending[i]!.treeSize <= c.treeSize; i += 1)
      if (this.pending[i]!.id === c.id && this.pending[i]!.note === c.note) return true;
    for (let i = this.verified.length - 1; i >= 0 && this.verified[i]!.treeSize >= c.treeSize; i -= 1)
      if (this.verified[i]!.id === c.id && this.verified[i]!.note === c.note) return true;
    return false;
  }

  /** Runs every check due at the current size: the checkpoints of that size, then the trusted one. */
  private reachedSize(): VerificationProblem | null {
    const size = this.next;
    let root: Buffer | undefined;
    while (this.pendingIndex < this.pending.length && this.pending[this.pendingIndex]!.treeSize === size) {
      const listed = this.pending[this.pendingIndex]!;
      this.pendingIndex += 1;
      const opened = this.open(listed);
      if (!opened.ok) return opened.problem;
      root ??= this.tree.root();
      if (!root.equals(opened.checkpoint.rootHash)) {
        const divergesAtOrAfter = this.verified[this.verified.length - 1]?.treeSize ?? 0;
        return {
          kind: 'checkpoint-root-mismatch',
          checkpointSize: size,
          detail:
            `the signed checkpoint of size ${size} does not match the entries: ` +
            (divergesAtOrAfter < size
              ? `entries ${divergesAtOrAfter} to ${size - 1} (after the last checkpoint that verified) were changed, inserted, removed or reordered after it was signed`
              : 'the entries were changed after it was signed'),
          evidence: {
            signedRootHash: hex(opened.checkpoint.rootHash),
            computedRootHash: hex(root),
            divergesAtOrAfter,
            checkpoint: quote(listed),
          },
        };
      }
      this.verified.push({ id: listed.id, treeSize: size, rootHash: hex(root), note: listed.note });
      this.checkpointPoint = { size, chainHash: this.chain, rightEdge: this.tree.rightEdge() };
    }
    if (this.trusted && this.trusted.treeSize === size) {
      root ??= this.tree.root();
      if (!root.equals(Buffer.from(this.trusted.rootHash, 'hex'))) {
        const conflicting = this.verified.find((c) => c.treeSize === size) ?? null;
        return fork(this.trusted, hex(root), conflicting);
      }
    }
    return null;
  }

  /** Verifies a listed checkpoint's note with the trusted key and origin, and that the listing matches it. */
  private open(listed: WireCheckpoint): { ok: true; checkpoint: Checkpoint } | { ok: false; problem: VerificationProblem } {
    let checkpoint: Checkpoint;
    try {
      checkpoint = verifyCheckpoint(listed.note, this.key, this.origin);
    } catch (err) {
      if (!(err instanceof NoteError)) throw err;
      return { ok: false, problem: noteProblem(listed, err, this.origin) };
    }
    const problem = listingProblem(listed, checkpoint, `checkpoint ${listed.id}`);
    return problem ? { ok: false, problem } : { ok: true, checkpoint };
  }

  /**
   * Before reading entries: the latest checkpoint, if it verifies, MUST NOT be smaller than the
   * trusted one, nor of the same size with another root. (If it does not verify, the problem is
   * reported in order when the entries reach its size.)
   */
  private checkLatestAgainstTrusted(): VerificationProblem | null {
    const trusted = this.trusted;
    if (!trusted) return null;
    const latest = this.pending[this.pending.length - 1];
    if (!latest)
      return rollback(trusted, null, 0, `the log lists no checkpoint, but a checkpoint of size ${trusted.treeSize} was verified before`);
    const opened = this.open(latest);
    if (!opened.ok) return null;
    if (latest.treeSize < trusted.treeSize) {
      return rollback(
        trusted,
        quote(latest),
        0,
        `the log's latest checkpoint has size ${latest.treeSize}, smaller than the size ${trusted.treeSize} verified before`,
      );
    }
    if (latest.treeSize === trusted.treeSize && hex(opened.checkpoint.rootHash) !== trusted.rootHash.toLowerCase()) {
      return fork(trusted, hex(opened.checkpoint.rootHash), {
        id: latest.id,
        treeSize: latest.treeSize,
        rootHash: hex(opened.checkpoint.rootHash),
        note: latest.note,
      });
    }
    return null;
  }

  /** After the last entry: no checkpoint may lie beyond it. */
  private checkEnd(): VerificationProblem | null {
    const beyond = this.pending[this.pendingIndex];
    if (beyond) {
      const opened = this.open(beyond);
      if (!opened.ok) return opened.problem;
      return {
        kind: 'truncated',
        seq: this.next,
        checkpointSize: beyond.treeSize,
        detail: `the log serves ${this.next} entries, but a signed checkpoint commits to ${beyond.treeSize}: entries from seq ${this.next} are missing`,
        evidence: { entriesServed: this.next, checkpoint: quote(beyond) },
      };
    }
    // A trusted size beyond the entries served implies a verified latest checkpoint beyond them
    // too (else the constructor reported a rollback), so it was reported as truncated above.
    return null;
  }
}

/**
 * Checks a consistency proof (hex hashes, as the server sends it) between two checkpoints that
 * both verified. A failure means the server's tree storage disagrees with its own signed
 * checkpoints: not a change to the entries, which verified, but a server that cannot be relied on.
 */
export function checkConsistencyProof(from: VerifiedCheckpoint, to: VerifiedCheckpoint, proof: unknown): VerificationProblem | null {
  const hashes =
    Array.isArray(proof) && proof.every((p) => typeof p === 'string' && /^[0-9a-fA-F]{64}$/.test(p)) ? (proof as string[]) : null;
  const problem = (code: string, reason: string, proofEvidence?: unknown): VerificationProblem => ({
    kind: 'consistency-proof-invalid',
    checkpointSize: to.treeSize,
    detail: `the server's consistency proof from size ${from.treeSize} to size ${to.treeSize} does not verify (${reason}), although both checkpoints match the entries`,
    evidence: {
      code,
      reason,
      from: quote(from),
      to: quote(to),
      proof: hashes ?? [],
      ...(proofEvidence === undefined ? {} : { proofEvidence }),
    },
  });
  if (!hashes) return problem('PROOF.BAD_SHAPE', 'the proof is not a list of 32-byte hex hashes', proof);
  try {
    verifyConsistency(
      from.treeSize,
      to.treeSize,
      Buffer.from(from.rootHash, 'hex'),
      Buffer.from(to.rootHash, 'hex'),
      hashes.map((h) => Buffer.from(h, 'hex')),
    );
    return null;
  } catch (err) {
    if (!(err instanceof ProofError)) throw err;
    return problem(err.code, err.message, err.evidence);
  }
}

/**
 * The pairs of checkpoints whose consistency proofs a verifier asks the server for: each distinct
 * non-zero size to the next larger one, over the verified checkpoints and the trusted one (so a
 * trusted size the log no longer lists is still linked to its successor).
 */
export function consistencyPairs(
  trusted: VerifiedCheckpoint | null,
  verified: readonly VerifiedCheckpoint[],
): Array<[VerifiedCheckpoint, VerifiedCheckpoint]> {
  const bySize = new Map<number, VerifiedCheckpoint>();
  for (const checkpoint of trusted ? [trusted, ...verified] : verified)
    if (checkpoint.treeSize > 0 && !bySize.has(checkpoint.treeSize)) bySize.set(checkpoint.treeSize, checkpoint);
  const ordered = [...bySize.values()].sort((a, b) => a.treeSize - b.treeSize);
  return ordered.slice(1).map((to, i) => [ordered[i]!, to]);
}

// ---- helpers ----------------------------------------------------------------------------------

/** The seq at which this content was recorded, if its stored leaf is its leaf at a nearby seq other than its own. */
function originalSeq(entry: DecodedEntry): number | null {
  for (let distance = 1; distance <= LOOKAHEAD; distance += 1) {
    if (originalSeqIs(entry, entry.seq - distance)) return entry.seq - distance;
    if (originalSeqIs(entry, entry.seq + distance)) return entry.seq + distance;
  }
  return null;
}

function originalSeqIs(entry: DecodedEntry, seq: number): boolean {
  return seq >= 0 && Number.isSafeInteger(seq) && entryLeafHash({ ...entry, seq }).equals(entry.storedLeafHash);
}

/**
 * A `checkpoint-malformed` problem when the listing of a checkpoint whose note verified (its tree
 * size and root hash) is not what the signed note says, else null. `name` is how the detail names
 * the checkpoint ("checkpoint 3", "the checkpoint").
 */
export function listingProblem(
  listed: WireCheckpoint,
  checkpoint: Checkpoint,
  name: string,
): Extract<VerificationProblem, { kind: 'checkpoint-malformed' }> | null {
  if (checkpoint.size === listed.treeSize && hex(checkpoint.rootHash) === listed.rootHash.toLowerCase()) return null;
  const reason = `is listed with tree size ${listed.treeSize} and root ${listed.rootHash}, but its signed note says size ${checkpoint.size} and root ${hex(checkpoint.rootHash)}`;
  return {
    kind: 'checkpoint-malformed',
    checkpointSize: listed.treeSize,
    detail: `${name} ${reason}`,
    evidence: { reason, checkpoint: listed },
  };
}

function noteProblem(listed: WireCheckpoint, err: NoteError, origin: string): VerificationProblem {
  const checkpoint = quote(listed);
  const size = listed.treeSize;
  switch (err.code) {
    case 'NOTE.BAD_SIGNATURE':
    case 'NOTE.NO_TRUSTED_SIGNATURE':
      return {
        kind: 'checkpoint-bad-signature',
        checkpointSize: size,
        detail: `the checkpoint of size ${size} is not signed by the trusted key: ${err.message}`,
        evidence: { code: err.code, reason: err.message, checkpoint },
      };
    case 'CHECKPOINT.ORIGIN_MISMATCH':
      return {
        kind: 'checkpoint-origin-mismatch',
        checkpointSize: size,
        detail: `the checkpoint of size ${size} is for another log: ${err.message}`,
        evidence: { expectedOrigin: origin, code: err.code, reason: err.message, checkpoint },
      };
    case 'NOTE.MALFORMED':
    case 'CHECKPOINT.MALFORMED':
    case 'NOTE.BAD_VERIFIER_KEY':
    case 'NOTE.BAD_SIGNER':
      return {
        kind: 'checkpoint-malformed',
        checkpointSize: size,
        detail: `the checkpoint of size ${size} is not a valid signed checkpoint: ${err.message}`,
        evidence: { reason: err.message, checkpoint: listed },
      };
    default: {
      const unknownCode: never = err.code;
      throw new Error(`unhandled note error ${String(unknownCode)}`);
    }
  }
}

function rollback(
  trusted: VerifiedCheckpoint,
  latest: CheckpointEvidence | null,
  entriesServed: number,
  detail: string,
): VerificationProblem {
  return {
    kind: 'rollback',
    checkpointSize: trusted.treeSize,
    detail: `rollback: ${detail}`,
    evidence: { trusted: quote(trusted), latest, entriesServed },
  };
}

function fork(trusted: VerifiedCheckpoint, computedRootHash: string, conflicting: VerifiedCheckpoint | null): VerificationProblem {
  return {
    kind: 'fork',
    checkpointSize: trusted.treeSize,
    detail:
      `fork: the log's tree of size ${trusted.treeSize} has root ${computedRootHash}, not the root ${trusted.rootHash} verified before` +
      (conflicting ? '; both are signed by the log key, so the log has shown two different histories' : ''),
    evidence: { trusted: quote(trusted), computedRootHash, conflicting: conflicting ? quote(conflicting) : null },
  };
}

function quote(c: { id?: number; treeSize: number; rootHash: string; note: string }): CheckpointEvidence;
function quote(c: { id?: number; treeSize: number; rootHash: string; note: string } | undefined): CheckpointEvidence | null;
function quote(c: { id?: number; treeSize: number; rootHash: string; note: string } | undefined): CheckpointEvidence | null {
  if (!c) return null;
  return { ...(c.id === undefined ? {} : { id: c.id }), treeSize: c.treeSize, rootHash: c.rootHash, note: c.note };
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
