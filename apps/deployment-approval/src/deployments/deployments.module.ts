import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DeploymentQueries } from './application/deployment.queries';
import { ExecuteDeploymentCommandHandler } from './application/execute-deployment-command.handler';
import { DeploymentsController } from './http/deployments.controller';

@Module({
  imports: [CqrsModule],
  controllers: [DeploymentsController],
  providers: [ExecuteDeploymentCommandHandler, DeploymentQueries],
})
export class DeploymentsModule {}
