import { subjectOf } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  answerAccountability,
  FactIndex,
  factsForAnswer,
  type AccountabilityAnswer,
  type Fact,
  type FactNamed,
  type KnownAt,
} from '@aal/accountability';
import { DomainError } from '@aal/domain';
import { FactsRepository } from '../infrastructure/facts.repository';
import { latestCheckpoint, provenAnswer, provenAnswerAt, type ProvenAnswer } from './proven-answer';
import { accountabilityErrors } from '../domain/accountability.errors';

/** How long one request may wait for the projection to reach a position before a 503. */
export const PROJECTION_WAIT_LIMIT_MS = 5000;
const POLL_MS = 50;

export interface AccountabilityRequest {
  /** RFC 3339 time: what was in force then. Default: when the output was generated. */
  readonly asOf?: string;
  /**
   * What the ledger knew: `{ seq }` (entries up to and including it) or `{ time }` (RFC 3339: entries
   * recorded by then). Default: everything recorded so far.
   */
  readonly knownAt?: { readonly seq: number } | { readonly time: string };
  /** Wait (bounded) until the projection has applied this entry; else PROJECTION.BEHIND. */
  readonly waitFor?: number;
}

/**
 * Checks that the caller may read the output reported by `organisationId` (throws if not). Called
 * once the output is found and before its answer is built.
 */
export type OutputAccess = (organisationId: string) => void;

/**
 * The answer for one output, as served at `GET /outputs/{outputId}/accountability`:
 *
 * - `outputId`, `asOf` (RFC 3339, normalised to UTC), `asOfSource` (`output-generated` | `requested`),
 *   `knownAt` `{ seq, recordedAt, source: 'latest' | 'requested' }`: the two clocks used;
 * - `output`, `built`, `approvedAndDeployed`, `instructed`, `actedOn`: the chain (see
 *   AccountabilityChain), every item with `evidence` (ledger seqs), `happenedAt`, `recordedAt`, and
 *   `recordedLateBySeconds` / `backDated` when they apply;
 * - `findings`: `{ code, title, statement, evidence, details }[]` (see FINDINGS, docs/findings.md);
 * - `basis`: `{ checkpoint: { treeSize, rootHash } | null, note?, seqs }`: the entries the answer was
 *   computed from (decoded from their hashed content) and the signed checkpoint that proves them, so
 *   anyone can recompute it with @aal/accountability (docs/investigations.md).
 *
 * Beside every `evidence` list is `inclusionProofs`: for each seq, the path of its inclusion proof
 * in the tree of size `knownAt.seq + 1`. The same inputs always give the same bytes, also after
 * the projection is rebuilt.
 */
export type AccountabilityResult = ProvenAnswer<AccountabilityAnswer>;

/**
 * Reads the accountability of one output from the facts projection. The application-level API for
 * other features (investigations call it for each output of a case): throws the DomainErrors
 * `OUTPUT.NOT_FOUND` (not-found) and `ACCOUNTABILITY.BAD_CLOCK` (invalid), and the PushBackError
 * `PROJECTION.BEHIND` when a position asked for is not reached in time (accountabilityErrors).
 */
@Injectable()
export class AccountabilityQuery {
  private readonly facts: FactsRepository;

  constructor(private readonly dataSource: DataSource) {
    this.facts = new FactsRepository(dataSource);
  }

  /** `access`, when given, is asked before anything is built (callers that check access another way omit it). */
  async forOutput(outputId: string, request: AccountabilityRequest = {}, access?: OutputAccess): Promise<AccountabilityResult> {
    return (await this.forOutputWithFacts(outputId, request, access)).answer;
  }

  /**
   * The answer and the facts it was computed from (the output's, its deployment's and its model's,
   * as of `answer.knownAt`): a caller that adds context about the same deployment at the same clock
   * (the oversight context) reuses them instead of reading them again.
   */
  async forOutputWithFacts(
    outputId: string,
    request: AccountabilityRequest = {},
    access?: OutputAccess,
  ): Promise<{ readonly answer: AccountabilityResult; readonly facts: readonly Fact[] }> {
    if (request.waitFor !== undefined) await this.waitForPosition(request.waitFor);
    const asOf = request.asOf === undefined ? undefined : normalisedTime(request.asOf, 'asOf');
    const knownAt = await this.knownAtFor(request.knownAt, {
      noEntries: () => accountabilityErrors.noEntriesYet(outputId),
      nothingBy: (time) => accountabilityErrors.nothingRecordedBy(outputId, time),
    });
    const own = await this.facts.byKeys([subjectOf('output', outputId)], knownAt.seq);
    const generated = own.find((f): f is FactNamed<'output.generated'> => f.name === 'output.generated' && f.data.outputId === outputId);
    if (!generated) throw accountabilityErrors.outputNotKnown(outputId, knownAt);
    access?.(generated.data.actor.organisationId);
    // The output's own entries are in hand: read only what its deployment and model add.
    const related = mergedBySeq(
      own,
      await this.facts.byKeys(
        [subjectOf('deployment', generated.data.deploymentId), subjectOf('model', generated.data.modelId)],
        knownAt.seq,
      ),
    );
    const answer = answerAccountability(outputId, related, { ...(asOf === undefined ? {} : { asOf }), knownAt });
    if (!answer) throw accountabilityErrors.outputNotKnown(outputId, knownAt);
    return { answer: await provenAnswer(this.dataSource, answer, related, knownAt), facts: related };
  }

  /**
   * The answers for many outputs at one clock (`knownAt` a seq, or the latest): each output's own
   * facts, then each deployment's and model's, are read once for all of them, and each answer is
   * picked from them as the verifier picks it (`factsForAnswer`). An output the ledger does not know
   * gets its `OUTPUT.NOT_FOUND` problem instead of an answer. For a case export: one read instead
   * of one per output.
   */
  async forOutputs(outputIds: readonly string[], knownAtSeq?: number): Promise<OutputAnswer[]> {
    let knownAt: KnownAt & { source: 'latest' | 'requested' };
    try {
      knownAt = await this.knownAtFor(knownAtSeq === undefined ? undefined : { seq: knownAtSeq }, {
        noEntries: () => accountabilityErrors.noEntriesYet(outputIds[0] ?? ''),
        nothingBy: (time) => accountabilityErrors.nothingRecordedBy(outputIds[0] ?? '', time),
      });
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === 'not-found')) throw err;
      return outputIds.map((outputId) => ({ outputId, problem: problemOf(accountabilityErrors.noEntriesYet(outputId)) }));
    }
    const own = await this.facts.byKeysFiled(
      outputIds.map((id) => subjectOf('output', id)),
      knownAt.seq,
    );
    const wanted = new Set(outputIds);
    const shared = new Set<string>();
    for (const f of own.facts)
      if (f.name === 'output.generated' && wanted.has(f.data.outputId)) {
        shared.add(subjectOf('deployment', f.data.deploymentId));
        shared.add(subjectOf('model', f.data.modelId));
      }
    const more = await this.facts.byKeysFiled([...shared], knownAt.seq);
    // Filed as the index files them, so each answer rests on what its own lookups would find (forOutput).
    const filedUnder = (f: Fact) => [...(own.filedUnder.get(f.seq) ?? []), ...(more.filedUnder.get(f.seq) ?? [])];
    const index = new FactIndex(mergedBySeq(own.facts, more.facts), filedUnder);
    const checkpoint = await latestCheckpoint(this.dataSource);
    return outputIds.map((outputId) => {
      const related = factsForAnswer(outputId, index, knownAt.seq);
      const answer = related && answerAccountability(outputId, related, { knownAt });
      if (!related || !answer) return { outputId, problem: problemOf(accountabilityErrors.outputNotKnown(outputId, knownAt)) };
      return { outputId, answer: provenAnswerAt(checkpoint, answer, related, knownAt) };
    });
  }

  /** The projection's position: it holds every entry below it. */
  position(): Promise<number> {
    return this.facts.position();
  }

  /** Resolves once the projection has applied entry `seq`; throws PROJECTION.BEHIND after `limitMs`. */
  async waitForPosition(seq: number, limitMs = PROJECTION_WAIT_LIMIT_MS): Promise<void> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const position = await this.facts.position();
      if (position > seq) return;
      if (Date.now() >= deadline) throw accountabilityErrors.projectionBehind(seq, position, 1);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * What the ledger knew, as a request names it (default: everything projected so far). `notFound`
   * words the refusal when nothing at all was known, in terms of what was asked for.
   */
  async knownAtFor(
    requested: AccountabilityRequest['knownAt'],
    notFound: { noEntries: () => Error; nothingBy: (time: string) => Error },
  ): Promise<KnownAt & { source: 'latest' | 'requested' }> {
    if (requested === undefined) {
      const position = await this.facts.position();
      const latest = position > 0 ? await this.facts.knownAtSeq(position - 1) : null;
      if (!latest) throw notFound.noEntries();
      return { ...latest, source: 'latest' };
    }
    if ('seq' in requested) {
      const seq = requested.seq;
      if (!Number.isSafeInteger(seq) || seq < 0) throw accountabilityErrors.badSeq(requested);
      if ((await this.facts.position()) <= seq) await this.waitForPosition(seq);
      const at = await this.facts.knownAtSeq(seq);
      if (!at) throw new Error(`the facts projection lacks entry ${seq} below its position`);
      return { ...at, source: 'requested' };
    }
    const time = normalisedTime(requested.time, 'knownAt');
    const at = await this.facts.knownAtTime(time, await this.facts.position());
    if (!at) throw notFound.nothingBy(time);
    return { ...at, source: 'requested' };
  }
}

/** One output's answer from `forOutputs`, or why there is none. */
export type OutputAnswer =
  | { readonly outputId: string; readonly answer: AccountabilityResult; readonly problem?: undefined }
  | { readonly outputId: string; readonly answer?: undefined; readonly problem: { readonly code: string; readonly detail: string } };

const problemOf = (err: DomainError) => ({ code: err.code, detail: err.detail });

/** Two lists of facts in ledger order as one, each entry once. */
function mergedBySeq(a: readonly Fact[], b: readonly Fact[]): Fact[] {
  const out: Fact[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]!.seq <= b[j]!.seq) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1]!.seq !== next.seq) out.push(next);
  }
  return out;
}

/** An RFC 3339 time from a request, in UTC; ACCOUNTABILITY.BAD_CLOCK when it is not one. */
export function normalisedTime(value: string, name: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw accountabilityErrors.badTime(name, value);
  return new Date(ms).toISOString();
}
