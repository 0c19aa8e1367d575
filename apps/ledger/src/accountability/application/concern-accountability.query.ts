import { answerConcern, concernRaised, type ConcernAnswer } from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import { DomainError } from '@aal/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FactsRepository } from '../infrastructure/facts.repository';
import { AccountabilityQuery, normalisedTime, type AccountabilityRequest } from './accountability.query';
import { provenAnswer, type ProvenAnswer } from './proven-answer';

/** Checks that the caller may read a concern taken in by, or addressed to, these organisations (throws if not). */
export type ConcernAccess = (organisations: readonly string[]) => void;

/**
 * The answer for one concern, as served at `GET /concerns/{concernId}/accountability`: the
 * concern, its acknowledgements and answers by `asOf`, its status, and its findings (the part
 * `concern` of docs/findings.md), with `basis` and inclusion links as for an output's answer.
 */
export type ConcernAccountabilityResult = ProvenAnswer<ConcernAnswer>;

@Injectable()
export class ConcernAccountabilityQuery {
  private readonly facts: FactsRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outputs: AccountabilityQuery,
  ) {
    this.facts = new FactsRepository(dataSource);
  }

  async forConcern(concernId: string, request: AccountabilityRequest, access: ConcernAccess): Promise<ConcernAccountabilityResult> {
    if (request.waitFor !== undefined) await this.outputs.waitForPosition(request.waitFor);
    const knownAt = await this.outputs.knownAtFor(request.knownAt, {
      noEntries: () => concernNotKnown(concernId, 'it holds no entries yet'),
      nothingBy: (time) => concernNotKnown(concernId, `it had recorded nothing by ${time}`),
    });
    const own = await this.facts.byKeys([subjectOf('concern', concernId)], knownAt.seq);
    const raised = concernRaised(concernId, own);
    if (!raised) throw concernNotKnown(concernId, `none among the entries up to seq ${knownAt.seq}`);
    access([raised.data.intakeOrganisationId, ...raised.data.addressees.map((a) => a.organisationId)]);
    const related = await this.facts.byKeys([subjectOf('concern', concernId), subjectOf('model', raised.data.about.modelId)], knownAt.seq);
    const asOf = request.asOf === undefined ? undefined : normalisedTime(request.asOf, 'asOf');
    const answer = answerConcern(concernId, related, { ...(asOf === undefined ? {} : { asOf }), knownAt });
    if (!answer) throw concernNotKnown(concernId, `none among the entries up to seq ${knownAt.seq}`);
    return provenAnswer(this.dataSource, answer, related, knownAt);
  }
}

function concernNotKnown(concernId: string, why: string): DomainError {
  return new DomainError('CONCERN.NOT_FOUND', 'not-found', `the ledger holds no concern.raised for concern ${concernId}: ${why}`, {
    concernId,
  });
}
