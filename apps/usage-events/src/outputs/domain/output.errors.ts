import { DomainError } from '@aal/domain';

export const outputErrors = {
  notFound: (outputId: string) =>
    new DomainError(
      'OUTPUT.NOT_FOUND',
      'not-found',
      `output ${outputId} has not been recorded; record its generation before anything that happened to it`,
      {
        outputId,
      },
    ),
  notOwner: (outputId: string, organisationId: string) =>
    new DomainError(
      'OUTPUT.NOT_OWNER',
      'forbidden',
      `output ${outputId} was reported by another organisation; organisation ${organisationId} can neither add to nor read its record`,
      { outputId },
    ),
  alreadyRecorded: (outputId: string, differingFields: readonly string[]) =>
    new DomainError(
      'OUTPUT.ALREADY_RECORDED',
      'conflict',
      `output ${outputId} was already recorded with different ${differingFields.join(', ')}; a recorded output never changes, so report a new output under a new id`,
      { outputId, differingFields },
    ),
  /**
   * Another organisation already recorded this output id. Deliberately the same answer whatever
   * the request says: comparing the facts would let the caller confirm guesses about another
   * organisation's record (its subject pseudonym, digest, site or time).
   */
  idInUse: (outputId: string) =>
    new DomainError(
      'OUTPUT.ID_IN_USE',
      'conflict',
      `output id ${outputId} is already in use by another organisation; report this output under a new id`,
      { outputId, errors: [{ pointer: '/outputId', rule: 'unused-id', detail: '/outputId is already in use' }] },
    ),
  beforeGeneration: (outputId: string, occurredAt: string, generatedAt: string) =>
    new DomainError(
      'OUTPUT.BEFORE_GENERATION',
      'rule-violated',
      `occurredAt ${occurredAt} is before output ${outputId} was generated (${generatedAt}); nothing can happen to an output before it exists`,
      { outputId, occurredAt, generatedAt },
    ),
  unknownDeployment: (deploymentId: string) =>
    new DomainError(
      'OUTPUT.UNKNOWN_DEPLOYMENT',
      'rule-violated',
      `deployment ${deploymentId} is not in this service's deployment directory: either deployment-approval never recorded it, ` +
        `or its events have not arrived here yet (try again shortly); nothing was recorded`,
      {
        deploymentId,
        errors: [{ pointer: '/deploymentId', rule: 'known-deployment', detail: `/deploymentId names no deployment known here (yet)` }],
      },
    ),
  deploymentOfOtherOrganisation: (deploymentId: string, organisationId: string) =>
    new DomainError(
      'OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION',
      'forbidden',
      `deployment ${deploymentId} belongs to another organisation; organisation ${organisationId} can report outputs only of its own deployments`,
      {
        deploymentId,
        errors: [{ pointer: '/deploymentId', rule: 'own-deployment', detail: `/deploymentId names another organisation's deployment` }],
      },
    ),
  rationaleRequired: (outputId: string, action: string) =>
    new DomainError('OUTPUT.RATIONALE_REQUIRED', 'rule-violated', `a rationale is required when an output is ${action}`, {
      outputId,
      action,
      errors: [{ pointer: '/rationale', rule: 'required', detail: `/rationale is required when the action is ${action}` }],
    }),
};
