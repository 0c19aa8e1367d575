import { DomainError } from '@aal/domain';

export const modelCatalogueErrors = {
  versionNotFound: (versionId: string) =>
    new DomainError('MODEL_VERSION.NOT_FOUND', 'not-found', `model version ${versionId} does not exist`, { id: versionId }),
};
