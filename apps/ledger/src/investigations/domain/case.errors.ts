import { DomainError } from '@aal/domain';

/** Refusals about cases, by the case decider and by the routes that read a case. */
export const caseErrors = {
  notAboutAnIncident: (caseId: string) =>
    new DomainError(
      'CASE.NOT_ABOUT_AN_INCIDENT',
      'conflict',
      `case ${caseId} was opened on outputs, not on an incident: it has no incident whose reporting clock it could read`,
      { caseId },
    ),
  notFound: (caseId: string) => new DomainError('CASE.NOT_FOUND', 'not-found', `case ${caseId} does not exist`, { caseId }),
  exists: (caseId: string) => new DomainError('CASE.EXISTS', 'conflict', `case ${caseId} already exists`, { caseId }),
  accessDenied: (caseId: string, actor: { readonly personId: string; readonly organisationId: string }, doing: string) =>
    new DomainError(
      'CASE.ACCESS_DENIED',
      'forbidden',
      `${actor.personId} of ${actor.organisationId} is not an investigator of case ${caseId}, so may not ${doing}; an investigator of the case can grant access`,
      { caseId },
    ),
  scopeInvalid: () =>
    new DomainError(
      'CASE.SCOPE_INVALID',
      'invalid',
      'a case is about exactly one of: an incident (`incidentId`) or a set of outputs (`outputIds`)',
    ),
  noCheckpoint: () =>
    new DomainError(
      'CASE.NO_CHECKPOINT',
      'rule-violated',
      'the ledger has signed no checkpoint yet, so there is nothing a case could be opened against',
    ),
  closedToGrants: (caseId: string) =>
    new DomainError('CASE.CLOSED', 'conflict', `case ${caseId} is closed: no one can be added to it`, { caseId }),
  alreadyClosed: (caseId: string) => new DomainError('CASE.CLOSED', 'conflict', `case ${caseId} is already closed`, { caseId }),
  holdInForce: (caseId: string, placedAt: string) =>
    new DomainError('CASE.HOLD_IN_FORCE', 'conflict', `case ${caseId} is already under a legal hold placed at ${placedAt}`, {
      caseId,
    }),
  noHold: (caseId: string) =>
    new DomainError('CASE.NO_HOLD', 'conflict', `case ${caseId} is under no legal hold, so there is none to lift`, { caseId }),
  holdNotTheirs: (caseId: string, actor: { readonly personId: string; readonly organisationId: string }, holder: string) =>
    new DomainError(
      'CASE.HOLD_NOT_THEIRS',
      'forbidden',
      `the legal hold on case ${caseId} was placed by ${holder}; ${actor.personId} of ${actor.organisationId} may not lift it, only an investigator of ${holder} may`,
      { caseId },
    ),
  badRange: (from: number, to: number) =>
    new DomainError('CASE.BAD_RANGE', 'invalid', `from (${from}) must not exceed to (${to})`, { from, to }),
  outputNotInCase: (caseId: string, outputId: string) =>
    new DomainError('CASE.OUTPUT_NOT_IN_CASE', 'not-found', `output ${outputId} is not one of case ${caseId}'s outputs`, {
      caseId,
      outputId,
    }),
  checkpointPending: (caseId: string, last: number) =>
    new DomainError(
      'CASE.CHECKPOINT_PENDING',
      'conflict',
      `no signed checkpoint covers entry ${last} of case ${caseId} yet; retry in a few seconds`,
      { caseId },
    ),
};
