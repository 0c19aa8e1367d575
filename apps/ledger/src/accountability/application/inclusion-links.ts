/** `T` with `inclusionProofs` beside every `evidence` list, at any depth. */
export type Linked<T> = T extends readonly (infer U)[]
  ? Linked<U>[]
  : T extends object
    ? { [K in keyof T]: Linked<T[K]> } & (T extends { readonly evidence: readonly number[] }
        ? { readonly inclusionProofs: string[] }
        : unknown)
    : T;

/** The ledger's own route proving that entry `seq` is in the tree of size `treeSize`. */
export function inclusionProofPath(seq: number, treeSize: number): string {
  return `/entries/${seq}/inclusion-proof?treeSize=${treeSize}`;
}

/**
 * Adds, next to every `evidence` list, the links to each entry's inclusion proof in the tree of
 * size `treeSize` (`inclusionProofs[i]` proves `evidence[i]`). Verify the proof against a signed
 * checkpoint of that size, or against a later checkpoint with a consistency proof.
 */
export function withInclusionProofs<T>(value: T, treeSize: number): Linked<T> {
  if (Array.isArray(value)) return value.map((v) => withInclusionProofs(v, treeSize)) as Linked<T>;
  if (value === null || typeof value !== 'object') return value as Linked<T>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = withInclusionProofs(v, treeSize);
    if (key === 'evidence' && Array.isArray(v)) out['inclusionProofs'] = (v as number[]).map((seq) => inclusionProofPath(seq, treeSize));
  }
  return out as Linked<T>;
}
