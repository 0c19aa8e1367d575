import { DomainError } from '@aal/domain';

export const trainingErrors = {
  notFound: (trainingId: string) =>
    new DomainError('TRAINING.NOT_FOUND', 'not-found', `training record ${trainingId} does not exist`, { trainingId }),
  alreadyRecorded: (trainingId: string) =>
    new DomainError('TRAINING.ALREADY_RECORDED', 'conflict', `training record ${trainingId} already exists`, { trainingId }),
  unknownDeployment: (deploymentId: string) =>
    new DomainError('TRAINING.UNKNOWN_DEPLOYMENT', 'rule-violated', `deployment ${deploymentId} does not exist`, { deploymentId }),
  foreignDeployment: (deploymentId: string, organisationId: string) =>
    new DomainError(
      'TRAINING.FOREIGN_DEPLOYMENT',
      'forbidden',
      `organisation ${organisationId} is not the employer of deployment ${deploymentId}; only the employer records training for it`,
      { deploymentId },
    ),
  expiresBeforeCompletion: (completedAt: string, expiresAt: string) =>
    new DomainError(
      'TRAINING.EXPIRES_BEFORE_COMPLETION',
      'rule-violated',
      `training completed at ${completedAt} cannot expire earlier, at ${expiresAt}`,
      { completedAt, expiresAt },
    ),
};
