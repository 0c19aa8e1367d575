import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ModelCatalogueModule } from '../model-catalogue/model-catalogue.module';
import { DeploymentQueries } from './application/deployment.queries';
import { ExecuteDeploymentCommandHandler } from './application/execute-deployment-command.handler';
import { EXPIRY_SWEEP_INTERVAL_MS, ReviewDateExpiry } from './application/review-date-expiry';
import { DeploymentsController } from './http/deployments.controller';

@Module({
  imports: [CqrsModule, ModelCatalogueModule],
  controllers: [DeploymentsController],
  providers: [
    ExecuteDeploymentCommandHandler,
    DeploymentQueries,
    ReviewDateExpiry,
    { provide: EXPIRY_SWEEP_INTERVAL_MS, useValue: Number(process.env['EXPIRY_SWEEP_INTERVAL_MS'] ?? 60_000) },
  ],
})
export class DeploymentsModule {}
