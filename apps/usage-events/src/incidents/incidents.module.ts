import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ExecuteIncidentCommandHandler } from './application/execute-incident-command.handler';
import { IncidentQueries } from './application/incident.queries';
import { IncidentsController } from './http/incidents.controller';

@Module({
  imports: [CqrsModule],
  controllers: [IncidentsController],
  providers: [ExecuteIncidentCommandHandler, IncidentQueries],
})
export class IncidentsModule {}
