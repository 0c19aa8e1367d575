import { ProducerKitModule } from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { ModelRegistryConfig } from './config';
import { MODEL_REGISTRY_SCHEMA } from './database/model-registry.schema';
import { ModelsModule } from './models/models.module';

@Module({})
export class AppModule {
  static register(config: ModelRegistryConfig): DynamicModule {
    return { module: AppModule, imports: [ProducerKitModule.forRoot(config, MODEL_REGISTRY_SCHEMA), ModelsModule] };
  }
}
