import { answerIncidentClock, incidentClassified, incidentClockFacts, type IncidentClockAnswer } from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import { DomainError } from '@aal/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FactsRepository } from '../infrastructure/facts.repository';
import { AccountabilityQuery, normalisedTime, type AccountabilityRequest } from './accountability.query';
import { provenAnswer, type ProvenAnswer } from './proven-answer';

/** Checks that the caller may read an incident of this deployer and provider (throws if not). */
export type IncidentAccess = (organisations: readonly string[]) => void;

/**
 * The reporting clock of one incident, as served at `GET /incidents/{incidentId}/reporting-clock`
 * (and through a case): its classification, deadlines, notices and reports by `asOf`, and its
 * findings (the part `incident` of docs/findings.md), with `basis` and inclusion links.
 */
export type IncidentClockResult = ProvenAnswer<IncidentClockAnswer>;

@Injectable()
export class IncidentClockQuery {
  private readonly facts: FactsRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outputs: AccountabilityQuery,
  ) {
    this.facts = new FactsRepository(dataSource);
  }

  async forIncident(incidentId: string, request: AccountabilityRequest, access: IncidentAccess): Promise<IncidentClockResult> {
    if (request.waitFor !== undefined) await this.outputs.waitForPosition(request.waitFor);
    const knownAt = await this.outputs.knownAtFor(request.knownAt, {
      noEntries: () => incidentNotKnown(incidentId, 'it holds no entries yet'),
      nothingBy: (time) => incidentNotKnown(incidentId, `it had recorded nothing by ${time}`),
    });
    const own = await this.facts.byKeys([subjectOf('incident', incidentId)], knownAt.seq);
    const classified = incidentClassified(incidentId, own);
    if (!classified) throw incidentNotKnown(incidentId, `none among the entries up to seq ${knownAt.seq}`);
    access([classified.data.about.deployerId, classified.data.about.vendorId]);
    const found = await this.facts.byKeys(
      [subjectOf('incident', incidentId), subjectOf('model', classified.data.about.modelId)],
      knownAt.seq,
    );
    // The basis is what the clock rests on: the incident's own entries and its model's registration, not every entry of the model.
    const related = incidentClockFacts(incidentId, found);
    const asOf = request.asOf === undefined ? undefined : normalisedTime(request.asOf, 'asOf');
    const answer = answerIncidentClock(incidentId, related, { ...(asOf === undefined ? {} : { asOf }), knownAt });
    if (!answer) throw incidentNotKnown(incidentId, `none among the entries up to seq ${knownAt.seq}`);
    return provenAnswer(this.dataSource, answer, related, knownAt);
  }
}

function incidentNotKnown(incidentId: string, why: string): DomainError {
  return new DomainError('INCIDENT.NOT_FOUND', 'not-found', `the ledger holds no incident.classified for incident ${incidentId}: ${why}`, {
    incidentId,
  });
}
