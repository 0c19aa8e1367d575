/** A checkpoint as quoted in evidence: what the server listed, with its signed note. */
export interface CheckpointEvidence {
  readonly id?: number;
  readonly treeSize: number;
  /** Hex. */
  readonly rootHash: string;
  readonly note: string;
}

interface ProblemOf<K extends string, E> {
  readonly kind: K;
  /** The first sequence number at which the log disagrees, when it can be named. */
  readonly seq?: number;
  /** The tree size of the checkpoint concerned, when a checkpoint is concerned. */
  readonly checkpointSize?: number;
  /** One factual sentence for people. */
  readonly detail: string;
  /** What proves it: hashes, the entry, the signed notes involved. Plain JSON. */
  readonly evidence: E;
}

/**
 * The first thing found wrong with a log, by position: entries are checked in sequence order and
 * a checkpoint is checked when the entries reach its tree size, so the problem with the smallest
 * position is the one reported. A verifier stops at the first problem, because after it nothing
 * downstream can be attributed with certainty.
 */
export type VerificationProblem =
  /** An entry that is not the documented shape (seq = its position). */
  | ProblemOf<'entry-malformed', { readonly position: number; readonly reason: string; readonly entry: unknown }>
  /** The entry's content does not hash to the leaf stored with it: its content was changed. */
  | ProblemOf<'entry-tampered', { readonly storedLeafHash: string; readonly computedLeafHash: string; readonly entry: unknown }>
  /** The leaf is right but the stored chain value does not follow from the previous one. */
  | ProblemOf<
      'chain-broken',
      {
        readonly previousChainHash: string;
        readonly leafHash: string;
        readonly storedChainHash: string;
        readonly computedChainHash: string;
      }
    >
  /** Entries missing: `seq` is the first missing one. */
  | ProblemOf<'gap', { readonly expectedSeq: number; readonly foundSeq: number; readonly missing: number; readonly renumbered: boolean }>
  /** Entry `seq` is present but not in its place. */
  | ProblemOf<
      'reordered',
      { readonly expectedSeq: number; readonly foundSeq: number; readonly renumbered: boolean; readonly foundLaterAt: number }
    >
  /** Entries that do not belong: a second entry claiming an existing seq, or entries pushed in before others. */
  | ProblemOf<'inserted', { readonly position: number; readonly claimedSeq: number; readonly count: number; readonly entry: unknown }>
  /** An entry appears a second time. */
  | ProblemOf<'duplicate', { readonly position: number; readonly originalSeq: number; readonly entry: unknown }>
  /** With trusted event keys: the entry's event is unsigned, or not signed by a key trusted for the producer its source names. */
  | ProblemOf<
      'event-signature-invalid',
      {
        readonly code: string;
        readonly reason: string;
        readonly source: string | null;
        readonly emitter: string | null;
        readonly signature: string | null;
        readonly entry: unknown;
      }
    >
  /** A signed checkpoint commits to more entries than the log served. */
  | ProblemOf<'truncated', { readonly entriesServed: number; readonly checkpoint: CheckpointEvidence }>
  /** A log export (aal-log-export/v1) whose lines are not the documented stream: an unknown line, a missing or wrong end line, lines after it. */
  | ProblemOf<'export-malformed', { readonly line: number; readonly reason: string; readonly text?: string }>
  /** A listed checkpoint that is not the documented shape, or whose listed size/root disagree with its signed note. */
  | ProblemOf<'checkpoint-malformed', { readonly reason: string; readonly checkpoint: unknown }>
  /** The checkpoint is not signed by the trusted key. */
  | ProblemOf<'checkpoint-bad-signature', { readonly code: string; readonly reason: string; readonly checkpoint: CheckpointEvidence }>
  /** The checkpoint is signed for another log. */
  | ProblemOf<
      'checkpoint-origin-mismatch',
      { readonly expectedOrigin: string; readonly code: string; readonly reason: string; readonly checkpoint: CheckpointEvidence }
    >
  /** A validly signed checkpoint whose root is not the root of the entries served: the entries were changed after it was signed. */
  | ProblemOf<
      'checkpoint-root-mismatch',
      {
        readonly signedRootHash: string;
        readonly computedRootHash: string;
        /** Size of the last checkpoint that did verify (0 if none): the data diverges at or after this seq. */
        readonly divergesAtOrAfter: number;
        readonly checkpoint: CheckpointEvidence;
      }
    >
  /** The server's consistency proof between two checkpoints that both verified does not verify. */
  | ProblemOf<
      'consistency-proof-invalid',
      {
        readonly code: string;
        readonly reason: string;
        readonly from: CheckpointEvidence;
        readonly to: CheckpointEvidence;
        readonly proof: readonly string[];
        readonly proofEvidence?: unknown;
      }
    >
  /** The log now shows less than a checkpoint this verifier already verified. */
  | ProblemOf<
      'rollback',
      { readonly trusted: CheckpointEvidence; readonly latest: CheckpointEvidence | null; readonly entriesServed: number }
    >
  /** The log's tree at the trusted size is not the tree this verifier verified before: a split view. */
  | ProblemOf<
      'fork',
      { readonly trusted: CheckpointEvidence; readonly computedRootHash: string; readonly conflicting: CheckpointEvidence | null }
    >
  /** With a witness policy: no verified checkpoint carries enough valid cosignatures by the trusted witnesses. */
  | ProblemOf<
      'checkpoint-not-witnessed',
      {
        readonly required: number;
        readonly verdicts: ReadonlyArray<{
          readonly witness: string;
          readonly status: 'valid' | 'missing' | 'bad';
          readonly timestamp?: number;
          readonly reason?: string;
        }>;
        readonly checkpoint: CheckpointEvidence | null;
      }
    >;

export type ProblemKind = VerificationProblem['kind'];

/** "seq 41", "checkpoint of size 30", or both, for messages. */
export function problemLocation(problem: VerificationProblem): string {
  const parts: string[] = [];
  if (problem.seq !== undefined) parts.push(`seq ${problem.seq}`);
  if (problem.checkpointSize !== undefined) parts.push(`checkpoint of size ${problem.checkpointSize}`);
  return parts.length > 0 ? parts.join(', ') : 'the log';
}
