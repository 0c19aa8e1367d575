import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { IncidentQueries } from './application/incident.queries';
import { IncidentsController } from './http/incidents.controller';

@Module({
  imports: [UsageModule],
  controllers: [IncidentsController],
  providers: [IncidentQueries],
})
export class IncidentsModule {}
