import { answerBasis, basisSeqs, type AnswerBasis, type Fact, type KnownAt } from '@aal/accountability';
import type { DataSource } from 'typeorm';
import { CheckpointRepository } from '../../log/infrastructure/checkpoint.repository';
import { withInclusionProofs, type Linked } from './inclusion-links';

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
  const checkpoint = await new CheckpointRepository(dataSource.manager).latest();
  const basis = answerBasis(
    basisSeqs(facts, knownAt),
    knownAt,
    checkpoint && { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('hex') },
  );
  return { ...withInclusionProofs(answer, knownAt.seq + 1), basis };
}
