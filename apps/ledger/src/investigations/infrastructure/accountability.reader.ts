import { Injectable } from '@nestjs/common';
import { AccountabilityQuery, type AccountabilityRequest } from '../../accountability/application/accountability.query';

/** The accountability answer for one output of a case, or why there is none. */
export interface OutputAccountability {
  readonly outputId: string;
  /** The chain as AccountabilityQuery answers it (its shape is that feature's), null when the ledger knows no such output. */
  readonly chain: Record<string, unknown> | null;
  /** The chain's `findings`, when it states any. */
  readonly findings: readonly unknown[];
  /** The seqs the answer was computed from (its `basis.seqs`); a case export carries them all so the answer can be recomputed. */
  readonly basisSeqs: readonly number[];
  /** Why there is no chain. */
  readonly problem?: { readonly code: string; readonly detail: string };
}

/**
 * Asks the accountability feature (AccountabilityModule's export) for the chain of an output, as
 * the ledger knew it at `knownAt` (a seq) or now.
 */
@Injectable()
export class AccountabilityReader {
  constructor(private readonly query: AccountabilityQuery) {}

  /** The full answer (asOf, knownAt, waitFor as the accountability route takes them) and the facts it rests on. */
  answer(outputId: string, request: AccountabilityRequest) {
    return this.query.forOutputWithFacts(outputId, request);
  }

  /** The chains of `outputIds` at one clock: the ledger's knowledge at `knownAt` (a seq), or now. */
  async chainsOf(outputIds: readonly string[], knownAt?: number): Promise<OutputAccountability[]> {
    return (await this.query.forOutputs(outputIds, knownAt)).map(({ outputId, answer, problem }) =>
      answer
        ? { outputId, chain: answer as unknown as Record<string, unknown>, findings: answer.findings, basisSeqs: answer.basis.seqs }
        : { outputId, chain: null, findings: [], basisSeqs: [], problem },
    );
  }
}
