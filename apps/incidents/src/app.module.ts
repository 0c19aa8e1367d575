import { ProducerKitModule } from '@aal/service-kit';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { IncidentsConfig } from './config';
import { INCIDENTS_SCHEMA } from './database/incidents.schema';
import { IncidentsModule } from './incidents/incidents.module';
import { INFORM_PROVIDER_HOURS } from './incidents/incidents.tokens';

@Global()
@Module({})
class IncidentsConfigModule {
  static register(config: IncidentsConfig): DynamicModule {
    return {
      module: IncidentsConfigModule,
      providers: [{ provide: INFORM_PROVIDER_HOURS, useValue: config.informProviderWithinHours }],
      exports: [INFORM_PROVIDER_HOURS],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: IncidentsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ProducerKitModule.forRoot(config, INCIDENTS_SCHEMA), IncidentsConfigModule.register(config), IncidentsModule],
    };
  }
}
