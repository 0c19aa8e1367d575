import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { FhirController } from './http/fhir.controller';

@Module({
  imports: [UsageModule],
  controllers: [FhirController],
})
export class FhirModule {}
