import { AnswerBasis, answerBasis, basisSeqs, type Fact, type KnownAt } from '@aal/accountability';
import { Type, type ObjectOptions, type Static, type TObject, type TProperties, type TUnsafe } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import { CheckpointRepository } from '../../log/infrastructure/checkpoint.repository';
import { linkedSchema, withInclusionProofs, type Linked } from './inclusion-links';

/** An answer as every route serves it: each evidence seq linked to its inclusion proof, and its basis. */
export type ProvenAnswer<T> = Linked<T> & { readonly basis: AnswerBasis };

/**
 * Wraps a pure answer computed from `facts` as of `knownAt`: the entries it rests on and the latest
 * checkpoint (so it can be recomputed elsewhere), and inclusion links up to the known tree size.
 */
export async function provenAnswer<T>(
  dataSource: DataSource,
  answer: T,
  facts: readonly Pick<Fact, 'seq'>[],
  knownAt: KnownAt,
): Promise<ProvenAnswer<T>> {
  return provenAnswerAt(await latestCheckpoint(dataSource), answer, facts, knownAt);
}

/** The latest checkpoint as an answer's basis names it, or null before the first. */
export async function latestCheckpoint(dataSource: DataSource): Promise<BasisCheckpoint | null> {
  const checkpoint = await new CheckpointRepository(dataSource.manager).latest();
  return checkpoint && { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('hex') };
}

/** provenAnswer with the checkpoint already read (many answers at one clock share it). */
export function provenAnswerAt<T>(
  checkpoint: BasisCheckpoint | null,
  answer: T,
  facts: readonly Pick<Fact, 'seq'>[],
  knownAt: KnownAt,
): ProvenAnswer<T> {
  const basis = answerBasis(basisSeqs(facts, knownAt), knownAt, checkpoint);
  return { ...withInclusionProofs(answer, knownAt.seq + 1), basis };
}

interface BasisCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
}

/**
 * The schema of `ProvenAnswer<Static<S>>`: `schema` linked (linkedSchema), with the basis, and the
 * members a route serves beside the proven answer (`beside`, required), never linked.
 */
export function provenAnswerSchema<S extends TObject, P extends TProperties = Record<never, never>>(
  schema: S,
  options: ObjectOptions = {},
  beside?: P,
): TUnsafe<ProvenAnswer<Static<S>> & Static<TObject<P>>> {
  // Plain JSON Schema from here on (linkedSchema's output carries no TypeBox markers to build on).
  const linked = linkedSchema(schema) as unknown as { properties: object; required?: string[] };
  return Type.Unsafe<ProvenAnswer<Static<S>> & Static<TObject<P>>>({
    ...linked,
    properties: { ...linked.properties, basis: AnswerBasis, ...beside },
    required: [...(linked.required ?? []), 'basis', ...Object.keys(beside ?? {})],
    additionalProperties: false,
    ...options,
  });
}
