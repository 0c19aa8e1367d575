import type { KnownAt } from '@aal/accountability';
import { DomainError, PushBackError } from '@aal/domain';

/** Refusals of the oversight routes (GET /deployments/{id}/oversight and its entries export). */
export const oversightErrors = {
  deploymentNotKnown: (deploymentId: string, knownAt?: KnownAt) =>
    new DomainError(
      'DEPLOYMENT.NOT_FOUND',
      'not-found',
      knownAt
        ? `the ledger holds no deployment.requested for deployment ${deploymentId} among the entries it knew up to seq ${knownAt.seq} (recorded by ${knownAt.recordedAt})`
        : `the ledger holds no deployment.requested for deployment ${deploymentId}`,
      { deploymentId },
    ),
  nothingYet: () => new DomainError('DEPLOYMENT.NOT_FOUND', 'not-found', 'the ledger holds no entries yet, so no deployment', {}),
  nothingRecordedBy: (time: string) =>
    new DomainError('DEPLOYMENT.NOT_FOUND', 'not-found', `the ledger had recorded nothing by ${time}, so no deployment`, { knownAt: time }),
  /** `position`: the projections hold every entry below it. */
  projectionBehind: (waitFor: number, position: number) =>
    new PushBackError(
      'PROJECTION.BEHIND',
      `the oversight projection has applied entries up to seq ${position - 1}, not yet ${waitFor}; retry after 1 s`,
      1,
      { waitFor, position },
    ),
  deploymentNotInCase: (caseId: string, deploymentId: string) =>
    new DomainError('CASE.DEPLOYMENT_NOT_IN_CASE', 'not-found', `deployment ${deploymentId} produced none of case ${caseId}'s outputs`, {
      caseId,
      deploymentId,
    }),
  caseClosed: (caseId: string, what = "a deployment's oversight and approved scope are") =>
    new DomainError('CASE.CLOSED', 'conflict', `case ${caseId} is closed: ${what} read only through open cases`, {
      caseId,
    }),
};
