import { DomainError } from '@aal/domain';

export const incidentErrors = {
  notFound: (incidentId: string) =>
    new DomainError('INCIDENT.NOT_FOUND', 'not-found', `incident ${incidentId} does not exist`, { incidentId }),
  notOwner: (incidentId: string, organisationId: string) =>
    new DomainError(
      'INCIDENT.NOT_OWNER',
      'forbidden',
      `incident ${incidentId} was reported by another organisation; organisation ${organisationId} cannot read it here`,
      {
        incidentId,
      },
    ),
  foreignOutputs: (outputIds: readonly string[], organisationId: string) =>
    new DomainError(
      'INCIDENT.FOREIGN_OUTPUT',
      'forbidden',
      `output(s) ${outputIds.join(', ')} were reported by another organisation; organisation ${organisationId} cannot report an incident about them`,
      {
        outputIds,
      },
    ),
  alreadyReported: (incidentId: string) =>
    new DomainError('INCIDENT.ALREADY_REPORTED', 'conflict', `incident ${incidentId} was already reported`, { incidentId }),
};
