import { CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ApiCallerHeaders } from '../../usage/http/usage.requests';
import { ExecuteIncidentCommand } from '../application/execute-incident-command.handler';
import { IncidentQueries } from '../application/incident.queries';
import { IncidentIdParam, ReportIncidentRequest } from './incident.requests';

const incidentIdPipe = new SchemaPipe(IncidentIdParam, 'path');

@ApiTags('incidents')
@ApiCallerHeaders()
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: IncidentQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Report an incident involving one or more outputs; the harm is described by reference only.' })
  @ApiBody({ schema: ReportIncidentRequest as object })
  async report(@Body(new SchemaPipe(ReportIncidentRequest)) body: Static<typeof ReportIncidentRequest>, @CurrentCaller() caller: Caller) {
    const { occurredAt, ...facts } = body;
    const incidentId = randomUUID();
    await this.commands.execute(
      new ExecuteIncidentCommand({
        kind: 'ReportIncident',
        facts: { incidentId, organisationId: caller.organisationId, ...facts, actor: caller },
        occurredAt,
        receivedAt: this.clock.now().toISOString(),
      }),
    );
    return this.queries.get(incidentId, caller.organisationId);
  }

  @Get(':incidentId')
  @ApiOperation({ summary: 'An incident with its event history (reporting organisation only).' })
  get(@Param('incidentId', incidentIdPipe) incidentId: string, @CurrentCaller() caller: Caller) {
    return this.queries.get(incidentId, caller.organisationId);
  }
}
