import { subjectOf } from '@aal/contracts';
import { factKeys, type Fact } from './fact';

/**
 * The facts of a set of entries, found by the same keys the ledger's index uses (factKeys), so
 * that anyone recomputing an answer picks exactly the facts the ledger is meant to have used.
 */
export class FactIndex {
  private readonly byKey = new Map<string, Fact[]>();

  /** `keysOf`: the keys each fact is filed under; by default those its content gives (`factKeys`). */
  constructor(facts: readonly Fact[], keysOf: (fact: Fact) => readonly string[] = factKeys) {
    for (const fact of [...facts].sort((a, b) => a.seq - b.seq)) {
      for (const key of keysOf(fact)) {
        const list = this.byKey.get(key);
        if (list) list.push(fact);
        else this.byKey.set(key, [fact]);
      }
    }
  }

  /** Facts found under any of `keys`, up to and including `maxSeq`, once each, in ledger order. */
  find(keys: readonly string[], maxSeq = Number.MAX_SAFE_INTEGER): Fact[] {
    const found: Fact[] = [];
    for (const key of keys) for (const f of this.byKey.get(key) ?? []) if (f.seq <= maxSeq) found.push(f);
    if (keys.length < 2) return found;
    // A fact found under two keys (an incident under two outputs) is listed once.
    found.sort((a, b) => a.seq - b.seq);
    return found.filter((f, i) => i === 0 || found[i - 1]!.seq !== f.seq);
  }
}

/** The keys an output's answer is built from: the output itself, its deployment and its model. */
export function answerKeys(generated: Extract<Fact, { name: 'output.generated' }>): string[] {
  return [
    subjectOf('output', generated.data.outputId),
    subjectOf('deployment', generated.data.deploymentId),
    subjectOf('model', generated.data.modelId),
  ];
}

/**
 * The facts an output's answer at `maxSeq` is computed from, exactly as the ledger selects them
 * (its own facts first, to find its deployment and model); null when no `output.generated` is known.
 */
export function factsForAnswer(outputId: string, index: FactIndex, maxSeq = Number.MAX_SAFE_INTEGER): Fact[] | null {
  const generated = index
    .find([subjectOf('output', outputId)], maxSeq)
    .find((f): f is Extract<Fact, { name: 'output.generated' }> => f.name === 'output.generated' && f.data.outputId === outputId);
  return generated ? index.find(answerKeys(generated), maxSeq) : null;
}
