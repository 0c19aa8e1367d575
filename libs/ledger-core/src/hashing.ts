import { createHash, hash } from 'node:crypto';

/** SHA-256 output size in bytes. */
export const HASH_SIZE = 32;

export function sha256(...parts: Uint8Array[]): Buffer {
  // One-shot hashing of one buffer is about twice as fast as an incremental hash object.
  if (parts.length === 1) return hash('sha256', parts[0]!, 'buffer');
  const hasher = createHash('sha256');
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}

/** SHA-256 of two byte strings concatenated, in one call (the hash chain's hot path). */
export function sha256Pair(first: Uint8Array, second: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(first.length + second.length);
  input.set(first, 0);
  input.set(second, first.length);
  return hash('sha256', input, 'buffer');
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Buffer {
  return sha256Pair(LEAF_PREFIX, leaf);
}

/** RFC 9162 leaf hash of a leaf given as UTF-8 text, without building the leaf's bytes first. */
export function leafHashOfText(leaf: string): Buffer {
  return hash('sha256', `\u0000${leaf}`, 'buffer');
}

/**
 * RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 || left || right). The hot path of tree
 * building (one call per appended leaf on average), so it hashes one buffer in a single call,
 * about twice as fast as an incremental hash object.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX[0]!;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}
