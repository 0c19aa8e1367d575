import { eventProjectionProvider, partyDirectory } from '@aal/service-kit';
import { Module } from '@nestjs/common';
import { CONCERNS_SCHEMA } from '../database/concerns.schema';
import { Directory } from './infrastructure/directory.read-model';

const { applyModelRegistryEvent, applyDeploymentEvent } = partyDirectory(CONCERNS_SCHEMA.schema);
const VERSIONS_PROJECTION = Symbol('CONCERNS_VERSIONS_PROJECTION');
const DEPLOYMENTS_PROJECTION = Symbol('CONCERNS_DEPLOYMENTS_PROJECTION');

/**
 * The concerns service's directory of model versions (their vendor) and deployments (their
 * employer and version), fed from model-registry's and deployment-approval's topics (consumer
 * groups `<prefix>concerns.version-directory` and `<prefix>concerns.deployment-directory`, readiness
 * checks of the same names). Intake reads it to resolve who must answer a concern.
 */
@Module({
  providers: [
    eventProjectionProvider(VERSIONS_PROJECTION, { name: 'version-directory', from: 'model-registry', apply: applyModelRegistryEvent }),
    eventProjectionProvider(DEPLOYMENTS_PROJECTION, {
      name: 'deployment-directory',
      from: 'deployment-approval',
      apply: applyDeploymentEvent,
    }),
    Directory,
  ],
  exports: [Directory],
})
export class DirectoryModule {}
