import { Module } from '@nestjs/common';
import { ModelCatalogueController } from './http/model-catalogue.controller';
import { ModelCatalogueConsumer } from './infrastructure/model-catalogue.consumer';
import { ModelCatalogueReadModel } from './infrastructure/model-catalogue.read-model';

/** deployment-approval's read model of model-registry's versions and safety notices, fed from Kafka. */
@Module({
  controllers: [ModelCatalogueController],
  providers: [ModelCatalogueReadModel, ModelCatalogueConsumer],
  exports: [ModelCatalogueReadModel],
})
export class ModelCatalogueModule {}
