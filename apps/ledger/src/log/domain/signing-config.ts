import type { NoteSigner } from '@aal/ledger-core';

/** How the ledger signs its checkpoints. */
export interface CheckpointSettings {
  /** Checkpoint origin line, a schema-less URL naming this log, e.g. `ledger.example.org/aal`. */
  readonly origin: string;
  readonly signer: NoteSigner;
  /** During a key rotation, the key that will replace `signer`: it signs every checkpoint too (same key name). */
  readonly nextSigner?: NoteSigner;
  /** At most one checkpoint per this many milliseconds while entries keep arriving. */
  readonly minIntervalMs: number;
  /** While idle, how often to check whether the tree grew without a checkpoint. */
  readonly idleIntervalMs: number;
}
