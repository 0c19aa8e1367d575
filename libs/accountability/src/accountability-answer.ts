import { concernsOpenAtOutput } from './concern-answer';
import { buildAccountabilityChain, type AccountabilityChain } from './accountability-chain';
import type { ChainPartMemo } from './chain-part-memo';
import { knownBy, type KnownAt } from './clocks';
import type { Fact } from './fact';
import { deriveFindings, type Finding } from './findings';

/**
 * One output's accountability as an investigator reads it: the chain as it stood at `asOf`, built
 * only from what the ledger had recorded by `knownAt`, and the findings derived from it. States
 * both clocks it used.
 */
export interface AccountabilityAnswer extends AccountabilityChain {
  /** What the ledger knew: entries up to `seq` (recorded by `recordedAt`); `source` says whether the caller chose it. */
  readonly knownAt: KnownAt & { readonly source: 'latest' | 'requested' };
  readonly findings: Finding[];
}

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
