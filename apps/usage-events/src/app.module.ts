import { ProducerKitModule } from '@aal/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { UsageEventsConfig } from './config';
import { USAGE_EVENTS_SCHEMA } from './database/usage-events.schema';
import { BatchesModule } from './batches/batches.module';
import { DeploymentDirectoryModule } from './deployment-directory/deployment-directory.module';
import { FhirModule } from './fhir/fhir.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InstructionsModule } from './instructions/instructions.module';
import { OutputsModule } from './outputs/outputs.module';
import { RouteBodyParsers } from './route-body-parsers';

@Module({})
export class AppModule {
  static register(config: UsageEventsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ProducerKitModule.forRoot(config, USAGE_EVENTS_SCHEMA),
        DeploymentDirectoryModule,
        OutputsModule,
        InstructionsModule,
        IncidentsModule,
        BatchesModule,
        FhirModule,
      ],
      // Constructed inside NestFactory.create, so its parsers are mounted before createServiceApp's.
      providers: [RouteBodyParsers],
    };
  }
}
