import { answerAccountability } from './accountability-answer';
import { FactIndex, factsForAnswer } from './answer-inputs';
import { firstAnswerDifference, firstDifference } from './answer-basis';
import { ChainPartMemo } from './chain-part-memo';
import { decodeFact, type Fact, type RawEntry } from './fact';

/** Where a case export's stated answer first departs from the one its proven entries give. */
export interface CaseAnswerDifference {
  readonly outputId: string;
  /** JSON Pointer into the case export (`/accountability/0/chain/...` or `/findings/3/...`). */
  readonly pointer: string;
  readonly stated: unknown;
  readonly recomputed: unknown;
}

export interface CaseAnswerRecomputation {
  /** Outputs whose answer (chain, basis and findings) was recomputed and agreed, up to the first difference. */
  readonly recomputed: number;
  /** The proven entries the answers were recomputed from. */
  readonly entries: number;
  readonly difference: CaseAnswerDifference | null;
}

/** The parts of a case export (aal-case-export) that state answers. */
export interface StatedCaseAnswers {
  /** The answers as read: shared values expanded (expandSharedAnswers). */
  readonly accountability?: unknown;
  readonly findings?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Recomputes each output's answer of a case export from its proven entries and compares it with
 * the stated one: at the clocks the answer states (`asOf` when requested, `knownAt`), the
 * comparable parts of the chain canonically, then `basis.seqs` against the facts the key rule
 * selects, then the export's findings for the output, in order, against the recomputed ones (code,
 * title, detail as the statement, evidence). A
 * stated chain of null MUST agree that no proven entry is that output's `output.generated`.
 * Pure and browser-safe: the verifier (`ledger-verify --bundle`) and the investigator page both
 * run this one function, so they cannot disagree about what "re-derived" means. `entries` MUST be
 * entries already proven (leaf recomputed, inclusion checked); this function proves nothing.
 */
export function recomputeCaseAnswers(stated: StatedCaseAnswers, entries: Iterable<RawEntry>): CaseAnswerRecomputation {
  const facts: Fact[] = [];
  let entryCount = 0;
  for (const entry of entries) {
    entryCount += 1;
    const fact = decodeFact(entry);
    if (fact) facts.push(fact);
  }
  const index = new FactIndex(facts);
  // Outputs of one version and deployment share chain parts: each such part is built once and,
  // where the export states it once too (shared values), compared once. Exact (see ChainPartMemo).
  const memo = new ChainPartMemo();
  const agreed = new WeakMap<object, unknown>();
  const answers = Array.isArray(stated.accountability) ? (stated.accountability as unknown[]) : [];
  // The export's findings per output, with their positions, grouped once. CASE.* findings are about the case itself.
  const statedFindings = new Map<unknown, Array<{ f: Record<string, unknown>; at: number }>>();
  (Array.isArray(stated.findings) ? (stated.findings as unknown[]) : []).forEach((f, at) => {
    if (!isObject(f) || String(f['code']).startsWith('CASE.')) return;
    const list = statedFindings.get(f['outputId']);
    if (list) list.push({ f, at });
    else statedFindings.set(f['outputId'], [{ f, at }]);
  });
  let count = 0;
  const result = (difference: CaseAnswerDifference | null): CaseAnswerRecomputation => ({
    recomputed: count,
    entries: entryCount,
    difference,
  });
  const differs = (outputId: string, pointer: string, recomputed: unknown, statedValue: unknown) =>
    result({ outputId, pointer, recomputed: recomputed ?? null, stated: statedValue ?? null });
  for (let i = 0; i < answers.length; i += 1) {
    const item: unknown = answers[i];
    if (!isObject(item) || typeof item['outputId'] !== 'string')
      return differs(String(isObject(item) ? item['outputId'] : item), `/accountability/${i}`, 'an answer with an outputId', item);
    const outputId = item['outputId'];
    const chain = item['chain'];
    const base = `/accountability/${i}/chain`;
    let recomputedFindings: ReadonlyArray<{ code: string; title: string; statement: string; evidence: readonly number[] }> = [];
    if (chain === null || chain === undefined) {
      const generated = facts.find((f) => f.name === 'output.generated' && f.data.outputId === outputId);
      if (generated) return differs(outputId, base, `output.generated at seq ${generated.seq}`, null);
    } else {
      const clocks = statedClocks(chain);
      if (!clocks)
        return differs(
          outputId,
          `${base}/knownAt`,
          'a knownAt { seq, recordedAt, source } and asOf',
          isObject(chain) ? chain['knownAt'] : chain,
        );
      // The facts the ledger's own key rule selects, from the proven entries the clocks admit.
      const inputs = factsForAnswer(outputId, index, clocks.knownAt.seq) ?? [];
      const answer = answerAccountability(outputId, inputs, clocks, memo);
      const difference = firstAnswerDifference(answer, chain, '', agreed);
      if (difference) return differs(outputId, `${base}${difference.pointer}`, difference.recomputed, difference.stated);
      // The basis MUST name exactly the entries the answer follows from (as far as the export holds them).
      const basis = (chain as Record<string, unknown>)['basis'];
      const seqs = isObject(basis) && Array.isArray(basis['seqs']) ? basis['seqs'] : null;
      const basisDifference = firstDifference(
        inputs.map((f) => f.seq),
        seqs,
      );
      if (basisDifference)
        return differs(outputId, `${base}/basis/seqs${basisDifference.pointer}`, basisDifference.recomputed, basisDifference.stated);
      recomputedFindings = answer?.findings ?? [];
    }
    const statedForOutput = statedFindings.get(outputId) ?? [];
    const n = Math.max(statedForOutput.length, recomputedFindings.length);
    for (let k = 0; k < n; k += 1) {
      const want = recomputedFindings[k];
      const got = statedForOutput[k];
      if (want && got && sameFinding(want, got.f)) continue;
      const pointer = got ? `/findings/${got.at}` : `/findings/-`;
      // The export's `detail` is the finding's statement: the report prints it.
      const expected = want ? { code: want.code, title: want.title, detail: want.statement, evidence: [...want.evidence] } : undefined;
      const actual = got ? { code: got.f['code'], title: got.f['title'], detail: got.f['detail'], evidence: got.f['evidence'] } : undefined;
      const difference = firstDifference(expected, actual);
      if (difference) return differs(outputId, `${pointer}${difference.pointer}`, difference.recomputed, difference.stated);
    }
    count += 1;
  }
  return result(null);
}

/** True when a stated finding has the recomputed one's code, title, statement (as `detail`) and evidence (the fast path of the comparison above). */
function sameFinding(
  want: { code: string; title: string; statement: string; evidence: readonly number[] },
  got: Record<string, unknown>,
): boolean {
  const evidence = got['evidence'];
  if (
    want.code !== got['code'] ||
    want.title !== got['title'] ||
    want.statement !== got['detail'] ||
    !Array.isArray(evidence) ||
    evidence.length !== want.evidence.length
  )
    return false;
  for (let i = 0; i < evidence.length; i += 1) if (!Object.is(want.evidence[i], evidence[i])) return false;
  return true;
}

/** The clocks an answer states, in the form answerAccountability takes them; null when it states none. */
function statedClocks(
  chain: unknown,
): { asOf?: string; knownAt: { seq: number; recordedAt: string; source: 'latest' | 'requested' } } | null {
  if (!isObject(chain) || !isObject(chain['knownAt'])) return null;
  const { seq, recordedAt, source } = chain['knownAt'];
  if (!Number.isSafeInteger(seq) || typeof recordedAt !== 'string' || (source !== 'latest' && source !== 'requested')) return null;
  const knownAt = { seq: seq as number, recordedAt, source: source === 'latest' ? ('latest' as const) : ('requested' as const) };
  if (chain['asOfSource'] === 'requested') return typeof chain['asOf'] === 'string' ? { asOf: chain['asOf'], knownAt } : null;
  return { knownAt };
}
