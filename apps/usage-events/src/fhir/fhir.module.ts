import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { FhirController } from './http/fhir.controller';

@Module({
  imports: [ReportsModule],
  controllers: [FhirController],
})
export class FhirModule {}
