import { DomainError, type IdentifierIssue } from '@aal/domain';

export const concernErrors = {
  notFound: (concernId: string) => new DomainError('CONCERN.NOT_FOUND', 'not-found', `concern ${concernId} does not exist`, { concernId }),
  receiptNotFound: () =>
    new DomainError('CONCERN.RECEIPT_NOT_FOUND', 'not-found', 'no concern has this receipt code; check that it was copied whole', {}),
  alreadyRaised: (concernId: string) =>
    new DomainError('CONCERN.ALREADY_RAISED', 'conflict', `concern ${concernId} already exists`, { concernId }),
  identifierInText: (issues: readonly IdentifierIssue[]) =>
    new DomainError(
      'CONCERN.IDENTIFIER_IN_TEXT',
      'invalid',
      `${issues.map((i) => i.pointer).join(', ')} must not identify anyone, but holds 10 digits that read as an NHS number; nothing was recorded`,
      { errors: issues },
    ),
  unknownVersion: (versionId: string) =>
    new DomainError(
      'CONCERN.UNKNOWN_VERSION',
      'rule-violated',
      `model version ${versionId} is not known to this service (yet): it learns versions from model-registry's events, so retry shortly if it was released a moment ago`,
      { errors: [{ pointer: '/about/versionId', rule: 'known-version', detail: `version ${versionId} is not known` }] },
    ),
  unknownDeployment: (deploymentId: string) =>
    new DomainError(
      'CONCERN.UNKNOWN_DEPLOYMENT',
      'rule-violated',
      `deployment ${deploymentId} is not known to this service (yet): it learns deployments from deployment-approval's events, so retry shortly if it was requested a moment ago`,
      { errors: [{ pointer: '/about/deploymentId', rule: 'known-deployment', detail: `deployment ${deploymentId} is not known` }] },
    ),
  noEmployerForVersion: () =>
    new DomainError(
      'CONCERN.NO_EMPLOYER_FOR_VERSION',
      'invalid',
      'a concern about a model version can only be addressed to its vendor; to address an employer, raise it about that employer’s deployment',
      { errors: [{ pointer: '/addressees', rule: 'addressee', detail: 'a model version has no employer' }] },
    ),
  intakeNotAParty: (organisationId: string) =>
    new DomainError(
      'CONCERN.INTAKE_NOT_A_PARTY',
      'forbidden',
      `organisation ${organisationId} is neither the vendor nor the employer of what the concern is about, so it cannot take the concern in`,
      {},
    ),
  notAnAddressee: (concernId: string, organisationId: string) =>
    new DomainError(
      'CONCERN.NOT_AN_ADDRESSEE',
      'forbidden',
      `concern ${concernId} is not addressed to organisation ${organisationId}; only its addressees acknowledge and answer it`,
      { concernId },
    ),
  alreadyAcknowledged: (concernId: string, organisationId: string) =>
    new DomainError(
      'CONCERN.ALREADY_ACKNOWLEDGED',
      'conflict',
      `organisation ${organisationId} has already acknowledged concern ${concernId}`,
      {
        concernId,
      },
    ),
  notYetAcknowledged: (concernId: string, organisationId: string) =>
    new DomainError(
      'CONCERN.NOT_YET_ACKNOWLEDGED',
      'conflict',
      `organisation ${organisationId} has not acknowledged concern ${concernId}; acknowledge it before answering`,
      { concernId },
    ),
  alreadyAnswered: (concernId: string, organisationId: string) =>
    new DomainError('CONCERN.ALREADY_ANSWERED', 'conflict', `organisation ${organisationId} has already answered concern ${concernId}`, {
      concernId,
    }),
};
