import { caseRecommendations, type CaseRecommendations } from '@aal/accountability';
import type { Actor } from '@aal/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isInvestigator, type OpenCaseState } from '../domain/case.decider';
import { caseErrors } from '../domain/case.errors';
import { RESPONDING_ROLES } from '../domain/recommendation.rule';
import { CaseEntriesRepository } from '../infrastructure/case-entries.repository';
import { INVESTIGATION_SETTINGS, type InvestigationSettings } from './case-evidence.query';

/** Who is reading a case's recommendations: one of its investigators (all of them), or an addressee (its own). */
export type RecommendationsReader = { readonly as: 'investigator' } | { readonly as: 'addressee'; readonly organisationId: string };

/**
 * A case's recommendations and their findings, computed by @aal/accountability from the case's
 * proven entries (and the other cases' recommendation.recorded entries that link the same finding
 * on the same version or deployment), never from the case's stored state.
 */
@Injectable()
export class RecommendationsQuery {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(INVESTIGATION_SETTINGS) private readonly settings: InvestigationSettings,
  ) {}

  /**
   * The case's investigators read every recommendation; the staff of an addressee, in a role that
   * responds for the capacity it is addressed in, read those addressed to their organisation.
   * Anyone else is refused as a stranger to the case.
   */
  readerOf(state: OpenCaseState, caller: Actor): RecommendationsReader {
    if (caller.role === 'investigator' && isInvestigator(state, caller)) return { as: 'investigator' };
    const addressed = (state.recommendations ?? []).some(
      (r) =>
        r.addressee.organisationId === caller.organisationId &&
        (RESPONDING_ROLES[r.addressee.party] as readonly string[]).includes(caller.role),
    );
    if (addressed) return { as: 'addressee', organisationId: caller.organisationId };
    throw caseErrors.accessDenied(state.caseId, caller, 'read its recommendations');
  }

  async answer(caseId: string, reader: RecommendationsReader, asOf: string): Promise<CaseRecommendations> {
    const facts = await new CaseEntriesRepository(this.dataSource.manager).recommendationFacts(caseId);
    return caseRecommendations(caseId, facts, {
      asOf,
      recurringPatternIncidents: this.settings.recurringPatternIncidents,
      ...(reader.as === 'addressee' ? { addressee: reader.organisationId } : {}),
    });
  }
}
