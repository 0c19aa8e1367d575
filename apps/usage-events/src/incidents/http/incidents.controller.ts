import { Access } from '@aal/auth';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { ApiIdempotencyKey, Idempotency } from '../../idempotency/http/idempotency.http';
import { UsageWrites } from '../../reports/application/usage-writes';
import { incidentRecordAfter } from '../../reports/application/written-records';
import { reportContext, reportFor } from '../../reports/http/report-requests';
import { sendReport } from '../../reports/http/send-report';
import { IncidentQueries } from '../application/incident.queries';
import { IncidentIdParam, ReportIncidentRequest } from './incident.requests';
import { ReportBodyPipe } from '../../usage/http/report-body.pipe';
import { ReportedIncidentAnswer } from './incident.answers';

const incidentIdPipe = new SchemaPipe(IncidentIdParam, 'path');

@ApiTags('incidents')
@Access('clinical-system')
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly writes: UsageWrites,
    private readonly queries: IncidentQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey(ReportedIncidentAnswer)
  @ApiOperation({ summary: 'Report an incident involving one or more outputs; the harm is described by reference only.' })
  @ApiBody({ schema: ReportIncidentRequest as object })
  async report(
    @Body(new ReportBodyPipe(ReportIncidentRequest)) body: Static<typeof ReportIncidentRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = reportFor('incident.reported', body, reportContext(caller, this.clock));
    return sendReport(this.writes, idempotency, res, report, async (applied, tx) => ({
      status: 201,
      body: await incidentRecordAfter(applied, tx),
    }));
  }

  @Get(':incidentId')
  @ApiAnswer(200, ReportedIncidentAnswer)
  @Access('clinical-system', 'auditor')
  @ApiOperation({ summary: 'An incident with its event history (reporting organisation only).' })
  get(@Param('incidentId', incidentIdPipe) incidentId: string, @CurrentCaller() caller: Caller) {
    return this.queries.get(incidentId, caller.organisationId);
  }
}
