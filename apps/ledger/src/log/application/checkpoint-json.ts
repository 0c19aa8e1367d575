import type { WireCheckpoint } from '@aal/verifier';
import type { StoredCheckpoint } from '../infrastructure/checkpoint.repository';

/** A checkpoint as every route and export serves it, typed by the verifier's wire format. */
export function checkpointJson(c: StoredCheckpoint): WireCheckpoint {
  return { id: c.id, treeSize: c.treeSize, rootHash: c.rootHash.toString('hex'), note: c.note, createdAt: c.createdAt };
}
