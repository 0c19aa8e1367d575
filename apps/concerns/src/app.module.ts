import { ProducerKitModule } from '@aal/service-kit';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConcernsModule } from './concerns/concerns.module';
import { DUE_POLICY } from './concerns/concerns.tokens';
import type { ConcernsConfig } from './config';
import { CONCERNS_SCHEMA } from './database/concerns.schema';

@Global()
@Module({})
class ConcernsConfigModule {
  static register(config: ConcernsConfig): DynamicModule {
    return { module: ConcernsConfigModule, providers: [{ provide: DUE_POLICY, useValue: config.duePolicy }], exports: [DUE_POLICY] };
  }
}

@Module({})
export class AppModule {
  static register(config: ConcernsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ProducerKitModule.forRoot(config, CONCERNS_SCHEMA), ConcernsConfigModule.register(config), ConcernsModule],
    };
  }
}
