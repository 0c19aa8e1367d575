import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DirectoryModule } from '../directory/directory.module';
import { ClassifyIncidentHandler, RecordIncidentHandler } from './application/execute-incident-command.handler';
import { IncidentQueries } from './application/incident.queries';
import { IncidentsController } from './http/incidents.controller';

@Module({
  imports: [CqrsModule, DirectoryModule],
  controllers: [IncidentsController],
  providers: [ClassifyIncidentHandler, RecordIncidentHandler, IncidentQueries],
})
export class IncidentsModule {}
