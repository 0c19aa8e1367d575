import { eventProjectionProvider } from '@aal/service-kit';
import { Module } from '@nestjs/common';
import { ModelCatalogueController } from './http/model-catalogue.controller';
import { applyCatalogueEvent } from './infrastructure/model-catalogue.projector';
import { ModelCatalogueReadModel } from './infrastructure/model-catalogue.read-model';

const MODEL_CATALOGUE_PROJECTION = Symbol('MODEL_CATALOGUE_PROJECTION');

/**
 * deployment-approval's read model of model-registry's versions and safety notices, fed from
 * model-registry's topic (consumer group `<prefix>deployment-approval.model-catalogue`).
 */
@Module({
  controllers: [ModelCatalogueController],
  providers: [
    ModelCatalogueReadModel,
    eventProjectionProvider(MODEL_CATALOGUE_PROJECTION, { name: 'model-catalogue', from: 'model-registry', apply: applyCatalogueEvent }),
  ],
  exports: [ModelCatalogueReadModel],
})
export class ModelCatalogueModule {}
