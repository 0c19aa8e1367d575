import { eventProjectionProvider, partyDirectory } from '@aal/service-kit';
import { Module } from '@nestjs/common';
import { INCIDENTS_SCHEMA } from '../database/incidents.schema';
import { Directory } from './infrastructure/directory.read-model';

const { applyModelRegistryEvent, applyDeploymentEvent } = partyDirectory(INCIDENTS_SCHEMA.schema);
const VERSIONS_PROJECTION = Symbol('INCIDENTS_VERSIONS_PROJECTION');
const DEPLOYMENTS_PROJECTION = Symbol('INCIDENTS_DEPLOYMENTS_PROJECTION');

/**
 * The incidents service's directory of model versions (their vendor) and deployments (their
 * employer and version), fed from model-registry's and deployment-approval's topics (consumer
 * groups `<prefix>incidents.version-directory` and `<prefix>incidents.deployment-directory`, readiness
 * checks of the same names). Classification reads it to resolve the deployer and the provider of an incident.
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
