import { eventProjectionProvider } from '@aal/service-kit';
import { Module } from '@nestjs/common';
import { applyDeploymentEvent } from './infrastructure/deployment-directory.projector';

const DEPLOYMENT_DIRECTORY_PROJECTION = Symbol('DEPLOYMENT_DIRECTORY_PROJECTION');

/**
 * usage-events' directory of deployments and their employers, fed from deployment-approval's
 * topic (consumer group `<prefix>usage-events.deployment-directory`, readiness check
 * `deployment-directory`). The write path reads it to refuse outputs of unknown deployments and
 * of other organisations' deployments.
 */
@Module({
  providers: [
    eventProjectionProvider(DEPLOYMENT_DIRECTORY_PROJECTION, {
      name: 'deployment-directory',
      from: 'deployment-approval',
      apply: applyDeploymentEvent,
    }),
  ],
})
export class DeploymentDirectoryModule {}
