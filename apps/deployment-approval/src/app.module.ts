import { ProducerKitModule } from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { DeploymentApprovalConfig } from './config';
import { DEPLOYMENT_APPROVAL_SCHEMA } from './database/deployment-approval.schema';
import { DeploymentsModule } from './deployments/deployments.module';
import { ModelCatalogueModule } from './model-catalogue/model-catalogue.module';
import { TrainingModule } from './training/training.module';

@Module({})
export class AppModule {
  static register(config: DeploymentApprovalConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ProducerKitModule.forRoot(config, DEPLOYMENT_APPROVAL_SCHEMA), ModelCatalogueModule, DeploymentsModule, TrainingModule],
    };
  }
}
