import { answerDeploymentScope, type DeploymentScopeAnswer } from '@aal/accountability';
import { subjectOf } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeploymentAccess } from '../../oversight/application/oversight.query';
import { oversightErrors } from '../../oversight/domain/oversight.errors';
import { FactsRepository } from '../infrastructure/facts.repository';
import { AccountabilityQuery, normalisedTime, type AccountabilityRequest } from './accountability.query';
import { provenAnswer, type ProvenAnswer } from './proven-answer';

/**
 * The answer for one deployment's approval and approved scope, as served at
 * `GET /deployments/{id}/scope` (and a case's `/cases/{caseId}/deployments/{id}/scope`): the
 * DeploymentScopeAnswer with `inclusionProofs` beside every `evidence`, and `basis` (the entries
 * it was computed from and the signed checkpoint that proves them), as for an output's answer.
 */
export type DeploymentScopeResult = ProvenAnswer<DeploymentScopeAnswer>;

/**
 * Reads a deployment's own entries from the facts projection and answers with @aal/accountability.
 * Throws `DEPLOYMENT.NOT_FOUND` (as the oversight route does), `ACCOUNTABILITY.BAD_CLOCK` and
 * `PROJECTION.BEHIND` like the accountability query; `access` is asked once the deployment's
 * employer is known and before anything is built.
 */
@Injectable()
export class DeploymentScopeQuery {
  private readonly facts: FactsRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outputs: AccountabilityQuery,
  ) {
    this.facts = new FactsRepository(dataSource);
  }

  async forDeployment(deploymentId: string, request: AccountabilityRequest, access?: DeploymentAccess): Promise<DeploymentScopeResult> {
    if (request.waitFor !== undefined) await this.outputs.waitForPosition(request.waitFor);
    const knownAt = await this.outputs.knownAtFor(request.knownAt, {
      noEntries: () => oversightErrors.nothingYet(),
      nothingBy: (time) => oversightErrors.nothingRecordedBy(time),
    });
    const asOf = request.asOf === undefined ? undefined : normalisedTime(request.asOf, 'asOf');
    const facts = await this.facts.byKeys([subjectOf('deployment', deploymentId)], knownAt.seq);
    const answer = answerDeploymentScope(deploymentId, facts, { ...(asOf === undefined ? {} : { asOf }), knownAt });
    if (!answer) throw oversightErrors.deploymentNotKnown(deploymentId, knownAt);
    access?.(answer.employerId);
    return provenAnswer(this.dataSource, answer, facts, knownAt);
  }
}
