import { DomainError } from '@aal/domain';

/** Who may give which kind of mandate (the roles of libs/auth/src/roles.ts, by name). */
export const GRANTING_ROLES = {
  'incident-referral': ['employer-approver', 'employer-admin', 'data-controller'],
  'data-controller-grant': ['data-controller'],
  'regulator-mandate': ['regulator'],
} as const;

/** The sentence every refusal for want of a mandate ends with: what would give one. */
export const HOW_TO_GET_A_MANDATE =
  'an incident-referral by the reporting organisation (its clinical safety officer, admin or data controller), a data-controller-grant by its data controller, or a regulator-mandate by a regulator would give one';

export const mandateErrors = {
  scopeNotAllowed: (kind: string, scope: string, allowed: readonly string[]) =>
    new DomainError('MANDATE.SCOPE_NOT_ALLOWED', 'invalid', `a ${kind} covers ${allowed.join(' or ')}, not ${scope}`, {
      kind,
      scope,
      allowed,
    }),
  organisationRequired: () =>
    new DomainError(
      'MANDATE.ORGANISATION_REQUIRED',
      'invalid',
      "a mandate over all of an organisation's records names that organisation (`organisationId`)",
    ),
  untilPassed: (until: string, at: string) =>
    new DomainError('MANDATE.UNTIL_PASSED', 'invalid', `until (${until}) must be later than now (${at})`, { until }),
  roleNotAllowed: (kind: string, role: string, allowed: readonly string[]) =>
    new DomainError('MANDATE.ROLE_NOT_ALLOWED', 'forbidden', `a ${kind} is given by ${allowed.join(', ')}; the caller acts as ${role}`, {
      kind,
      role,
      allowed,
    }),
  unknownIncident: (incidentId: string) =>
    new DomainError(
      'INCIDENT.NOT_FOUND',
      'not-found',
      `the ledger holds no incident.reported for incident ${incidentId} (yet), so it cannot tell whose records it names`,
      { incidentId },
    ),
  unknownOutputs: (outputIds: readonly string[]) =>
    new DomainError(
      'OUTPUT.NOT_FOUND',
      'not-found',
      `the ledger holds no output.generated for output(s) ${outputIds.join(', ')} (yet), so it cannot tell whose records they are`,
      { outputIds },
    ),
  notOwnRecords: (organisationId: string, foreign: ReadonlyArray<{ what: string; organisationId: string }>) =>
    new DomainError(
      'MANDATE.NOT_OWN_RECORDS',
      'forbidden',
      `${foreign.map((f) => `${f.what} belongs to ${f.organisationId}`).join('; ')}: organisation ${organisationId} can refer or grant access only to its own records`,
      { foreign },
    ),
  spansOrganisations: (organisations: readonly string[]) =>
    new DomainError(
      'MANDATE.SPANS_ORGANISATIONS',
      'invalid',
      `the records named belong to several organisations (${organisations.join(', ')}): one mandate covers one organisation's records`,
      { organisations },
    ),
  organisationMismatch: (named: string, owner: string) =>
    new DomainError('MANDATE.ORGANISATION_MISMATCH', 'invalid', `the records named belong to ${owner}, not to ${named}`, {
      organisationId: named,
      owner,
    }),
  ownRecords: (organisationId: string) =>
    new DomainError('MANDATE.OWN_RECORDS', 'invalid', `organisation ${organisationId} needs no mandate to investigate its own records`, {
      organisationId,
    }),
  notFound: (mandateId: string) => new DomainError('MANDATE.NOT_FOUND', 'not-found', `mandate ${mandateId} does not exist`, { mandateId }),
  exists: (mandateId: string) => new DomainError('MANDATE.EXISTS', 'conflict', `mandate ${mandateId} already exists`, { mandateId }),
  revokeDenied: (mandateId: string, organisationId: string) =>
    new DomainError(
      'MANDATE.ACCESS_DENIED',
      'forbidden',
      `mandate ${mandateId} was granted by ${organisationId}: only that organisation, in a role that may grant it, can revoke it`,
      { mandateId },
    ),
  alreadyRevoked: (mandateId: string) =>
    new DomainError('MANDATE.REVOKED', 'conflict', `mandate ${mandateId} is already revoked`, { mandateId }),
  noMandate: (
    investigatingOrganisationId: string,
    uncovered: ReadonlyArray<{ kind: 'incident' | 'output'; id: string; organisationId: string }>,
  ) =>
    new DomainError(
      'CASE.NO_MANDATE',
      'forbidden',
      `no mandate in force lets ${investigatingOrganisationId} investigate ${uncovered.map((r) => `${r.kind} ${r.id} of ${r.organisationId}`).join(', ')}; ${HOW_TO_GET_A_MANDATE}`,
      { investigatingOrganisationId, uncovered, mandateKinds: Object.keys(GRANTING_ROLES) },
    ),
};
