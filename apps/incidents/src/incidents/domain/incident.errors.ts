import { DomainError, type IdentifierIssue } from '@aal/domain';

export const incidentErrors = {
  notFound: (incidentId: string) =>
    new DomainError('INCIDENT.NOT_FOUND', 'not-found', `incident ${incidentId} has not been classified here`, { incidentId }),
  alreadyClassified: (incidentId: string) =>
    new DomainError('INCIDENT.ALREADY_CLASSIFIED', 'conflict', `incident ${incidentId} is already classified`, { incidentId }),
  identifierInText: (issues: readonly IdentifierIssue[]) =>
    new DomainError(
      'INCIDENT.IDENTIFIER_IN_TEXT',
      'invalid',
      `${issues.map((i) => i.pointer).join(', ')} must not identify anyone, but holds 10 digits that read as an NHS number; nothing was recorded`,
      { errors: issues },
    ),
  unknownDeployment: (deploymentId: string) =>
    new DomainError(
      'INCIDENT.UNKNOWN_DEPLOYMENT',
      'rule-violated',
      `deployment ${deploymentId} is not known to this service (yet): it learns deployments from deployment-approval's events, so retry shortly if it was requested a moment ago`,
      { errors: [{ pointer: '/deploymentId', rule: 'known-deployment', detail: `deployment ${deploymentId} is not known` }] },
    ),
  notTheDeployer: (organisationId: string, deploymentId: string) =>
    new DomainError(
      'INCIDENT.NOT_THE_DEPLOYER',
      'forbidden',
      `organisation ${organisationId} is not the deployer of deployment ${deploymentId}; only the deployer classifies an incident in it and records informing the provider`,
      {},
    ),
  notTheProvider: (organisationId: string, incidentId: string) =>
    new DomainError(
      'INCIDENT.NOT_THE_PROVIDER',
      'forbidden',
      `organisation ${organisationId} is not the provider (vendor) of the version incident ${incidentId} arose with; only the provider records its awareness and its reports to authorities`,
      { incidentId },
    ),
  inFuture: (pointer: string, value: string, now: string) =>
    new DomainError('INCIDENT.TIME_IN_FUTURE', 'invalid', `${pointer} (${value}) is after the time of this request (${now})`, {
      errors: [{ pointer, rule: 'not-in-future', detail: `${pointer} must not be later than ${now}` }],
    }),
  beforeAwareness: (pointer: string, value: string, awareAt: string) =>
    new DomainError(
      'INCIDENT.BEFORE_AWARENESS',
      'invalid',
      `${pointer} (${value}) is before the deployer became aware of the incident (${awareAt})`,
      {
        errors: [{ pointer, rule: 'after-awareness', detail: `${pointer} must not be earlier than ${awareAt}` }],
      },
    ),
  alreadyRecorded: (incidentId: string, what: string) =>
    new DomainError('INCIDENT.ALREADY_RECORDED', 'conflict', `${what} is already recorded for incident ${incidentId}`, { incidentId }),
};
