import { DomainError } from '@aal/domain';

export const modelErrors = {
  /** A read of a model that is not registered (commands on one are refused with notRegistered). */
  notFound: (modelId: string) => new DomainError('MODEL.NOT_FOUND', 'not-found', `model ${modelId} does not exist`, { id: modelId }),
  notRegistered: (modelId: string) => new DomainError('MODEL.NOT_FOUND', 'not-found', `model ${modelId} is not registered`, { modelId }),
  alreadyRegistered: (modelId: string) =>
    new DomainError('MODEL.ALREADY_REGISTERED', 'conflict', `model ${modelId} is already registered`, { modelId }),
  notOwner: (modelId: string, organisationId: string) =>
    new DomainError(
      'MODEL.NOT_OWNER',
      'forbidden',
      `organisation ${organisationId} does not own model ${modelId}; only its vendor may change it`,
      {
        modelId,
      },
    ),
  versionExists: (version: string) =>
    new DomainError(
      'MODEL.VERSION_EXISTS',
      'conflict',
      `version ${version} was already released; released versions never change, so release a correction as a new version`,
      { version },
    ),
  versionIdExists: (versionId: string) =>
    new DomainError('MODEL.VERSION_ID_EXISTS', 'conflict', `a version with id ${versionId} already exists`, { versionId }),
  repeatedContraindicationCode: (code: string, first: number, again: number) =>
    new DomainError(
      'MODEL.REPEATED_CONTRAINDICATION_CODE',
      'rule-violated',
      `contraindication code ${code} is given twice (entries ${first} and ${again})`,
      {
        code,
        errors: [
          {
            pointer: `/contraindications/${again}/code`,
            rule: 'unique-code',
            detail: `/contraindications/${again}/code repeats ${code}, already given at /contraindications/${first}/code`,
          },
        ],
      },
    ),
  unknownVersion: (versionId: string) =>
    new DomainError('MODEL.UNKNOWN_VERSION', 'rule-violated', `version ${versionId} does not belong to this model`, { versionId }),
  alreadyWithdrawn: (versionId: string) =>
    new DomainError('MODEL.VERSION_ALREADY_WITHDRAWN', 'conflict', `version ${versionId} is already withdrawn`, { versionId }),
  noticeExists: (noticeId: string) =>
    new DomainError('MODEL.NOTICE_EXISTS', 'conflict', `safety notice ${noticeId} already exists`, { noticeId }),
  noticeNotFound: (noticeId: string) =>
    new DomainError('MODEL.NOTICE_NOT_FOUND', 'not-found', `safety notice ${noticeId} was not issued for this model`, { noticeId }),
  noticeAlreadyResolved: (noticeId: string) =>
    new DomainError('MODEL.NOTICE_ALREADY_RESOLVED', 'conflict', `safety notice ${noticeId} is already resolved`, { noticeId }),
};
