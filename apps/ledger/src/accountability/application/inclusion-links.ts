import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

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

/**
 * The schema of `Linked<Static<S>>`: `schema` with `inclusionProofs` (required, one path per seq)
 * beside every `evidence` property, at any depth, as withInclusionProofs adds them.
 */
export function linkedSchema<S extends TSchema>(schema: S): TUnsafe<Linked<Static<S>>> {
  return Type.Unsafe<Linked<Static<S>>>(linked(schema) as object);
}

function linked(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(linked);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s))
    out[key] = key === 'properties' || key === 'items' || key === 'anyOf' ? linkedChildren(key, value) : value;
  const properties = s['properties'] as Record<string, unknown> | undefined;
  if (properties?.['evidence'] !== undefined) {
    out['properties'] = { ...(out['properties'] as object), inclusionProofs: INCLUSION_PROOFS };
    out['required'] = [...((s['required'] as string[] | undefined) ?? []), 'inclusionProofs'];
  }
  return out;
}

function linkedChildren(key: string, value: unknown): unknown {
  if (key !== 'properties') return linked(value);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, child]) => [name, linked(child)]));
}

const INCLUSION_PROOFS = Type.Array(Type.String({ pattern: '^/entries/[0-9]+/inclusion-proof\\?treeSize=[0-9]+$' }), {
  description: 'For each seq of `evidence`, the path of its inclusion proof in the tree the answer was computed at.',
});
