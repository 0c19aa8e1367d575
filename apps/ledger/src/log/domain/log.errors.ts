import { DomainError } from '@aal/domain';

/** Refusals of the log's read routes: entries, checkpoints and proofs. */
export const logErrors = {
  entryNotFound: (seq: string) => new DomainError('ENTRY.NOT_FOUND', 'not-found', `entry ${seq} does not exist`, { id: seq }),
  /** `what` completes "no checkpoint …", e.g. `yet: the log is empty`. */
  noCheckpoint: (what: string) => new DomainError('CHECKPOINT.NOT_FOUND', 'not-found', `no checkpoint ${what}`),
  checkpointQuery: () => new DomainError('CHECKPOINT.BAD_QUERY', 'invalid', 'give exactly one of `size` or `time`'),
  notInTree: (seq: number, treeSize: number) =>
    new DomainError('PROOF.NOT_IN_TREE', 'invalid', `entry ${seq} is not in a tree of size ${treeSize} (sequence numbers start at 0)`, {
      seq,
      treeSize,
    }),
  proofRange: (from: number, to: number) =>
    new DomainError('PROOF.BAD_RANGE', 'invalid', `from (${from}) must not exceed to (${to})`, { from, to }),
  beyondLog: (field: string, value: number, logSize: number) =>
    new DomainError('PROOF.BEYOND_LOG', 'not-found', `${field} ${value} is larger than the log (${logSize} entries)`, {
      [field]: value,
      logSize,
    }),
};
