import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { IncidentQueries } from './application/incident.queries';
import { IncidentsController } from './http/incidents.controller';

@Module({
  imports: [ReportsModule],
  controllers: [IncidentsController],
  providers: [IncidentQueries],
})
export class IncidentsModule {}
