import { DomainError } from '@aal/domain';

/** Refusals about a case's safety recommendations and the responses to them. */
export const recommendationErrors = {
  caseClosed: (caseId: string) =>
    new DomainError('CASE.CLOSED', 'conflict', `case ${caseId} is closed: no recommendation can be recorded on it`, { caseId }),
  dueInPast: (dueBy: string, now: string) =>
    new DomainError('RECOMMENDATION.DUE_IN_PAST', 'invalid', `dueBy (${dueBy}) must be later than the time of recording (${now})`, {
      dueBy,
    }),
  noTarget: () =>
    new DomainError(
      'RECOMMENDATION.ARISES_FROM_INCOMPLETE',
      'invalid',
      'arisesFrom names finding codes, and the versionId or deploymentId (or both) they were found on',
    ),
  unknownFindingCodes: (codes: readonly string[]) =>
    new DomainError(
      'RECOMMENDATION.UNKNOWN_FINDING_CODE',
      'invalid',
      `arisesFrom.findingCodes names ${codes.join(', ')}, which the ledger does not define (docs/findings.md lists the codes)`,
      { codes },
    ),
  notFound: (caseId: string, recommendationId: string) =>
    new DomainError('RECOMMENDATION.NOT_FOUND', 'not-found', `case ${caseId} has no recommendation ${recommendationId}`, {
      caseId,
      recommendationId,
    }),
  notAddressee: (recommendationId: string, addressee: string, actor: { readonly organisationId: string }) =>
    new DomainError(
      'RECOMMENDATION.NOT_ADDRESSEE',
      'forbidden',
      `recommendation ${recommendationId} is addressed to ${addressee}; ${actor.organisationId} may not respond to it`,
      { recommendationId },
    ),
  roleNotRespondent: (recommendationId: string, party: string, role: string, roles: readonly string[]) =>
    new DomainError(
      'RECOMMENDATION.ROLE_NOT_RESPONDENT',
      'forbidden',
      `recommendation ${recommendationId} is addressed to a ${party}, which responds in the role ${roles.join(' or ')}, not ${role}`,
      { recommendationId },
    ),
  closed: (recommendationId: string, status: string) =>
    new DomainError('RECOMMENDATION.CLOSED', 'conflict', `recommendation ${recommendationId} is already ${status}: no further response`, {
      recommendationId,
    }),
  alreadyAccepted: (recommendationId: string) =>
    new DomainError(
      'RECOMMENDATION.ALREADY_ACCEPTED',
      'conflict',
      `recommendation ${recommendationId} is already accepted; respond with its completion or rejection`,
      { recommendationId },
    ),
};
