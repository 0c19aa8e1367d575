import { concernsOpenAtOutput } from './concern-answer';
import { buildAccountabilityChain } from './accountability-chain';
import { Type, type Static } from '@sinclair/typebox';
import { AccountabilityChain as AccountabilityChainSchema } from './accountability-chain.schema';
import type { ChainPartMemo } from './chain-part-memo';
import { knownBy, StatedKnownAt, type KnownAt } from './clocks';
import type { Fact } from './fact';
import { deriveFindings, Finding } from './findings';

/**
 * One output's accountability as an investigator reads it: the chain as it stood at `asOf`, built
 * only from what the ledger had recorded by `knownAt`, and the findings derived from it. States
 * both clocks it used.
 */
export const AccountabilityAnswer = Type.Object(
  { ...AccountabilityChainSchema.properties, knownAt: StatedKnownAt, findings: Type.Array(Finding) },
  { additionalProperties: false },
);
export type AccountabilityAnswer = Static<typeof AccountabilityAnswer>;

export interface AnswerClocks {
  /** RFC 3339; defaults to the output's generation time. */
  readonly asOf?: string;
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
}

/** Returns null when the ledger, as of `knownAt`, holds no `output.generated` for the output. */
export function answerAccountability(
  outputId: string,
  facts: readonly Fact[],
  clocks: AnswerClocks,
  /** For a caller answering many outputs from one set of facts: parts they share are built once (ChainPartMemo). */
  memo?: ChainPartMemo,
): AccountabilityAnswer | null {
  const known = knownBy(facts, clocks.knownAt);
  const chain = buildAccountabilityChain(outputId, known, {
    ...(clocks.asOf === undefined ? {} : { asOf: clocks.asOf }),
    ...(memo ? { memo } : {}),
  });
  if (!chain) return null;
  return { ...chain, knownAt: clocks.knownAt, findings: [...deriveFindings(chain), ...concernsOpenAtOutput(chain, known)] };
}
