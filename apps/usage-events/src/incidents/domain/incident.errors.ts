import { DomainError } from '@aal/domain';

export const incidentErrors = {
  notFound: (incidentId: string) => new DomainError('INCIDENT.NOT_FOUND', 'not-found', `incident ${incidentId} does not exist`, { incidentId }),
  notOwner: (incidentId: string, organisationId: string) =>
    new DomainError('INCIDENT.NOT_OWNER', 'forbidden', `incident ${incidentId} was reported by another organisation; organisation ${organisationId} cannot read it here`, {
      incidentId,
    }),
  alreadyReported: (incidentId: string) =>
    new DomainError('INCIDENT.ALREADY_REPORTED', 'conflict', `incident ${incidentId} was already reported`, { incidentId }),
};
