import { Access } from '@aal/auth';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ApiIdempotencyKey, Idempotency } from '../../idempotency/http/idempotency.http';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { UsageWrites } from '../../reports/application/usage-writes';
import { reportContext, reportFor, type ReportBody, type ReportKind } from '../../reports/http/report-requests';
import { outputAnswer, sendReport } from '../../reports/http/send-report';
import { OutputQueries } from '../application/output.queries';
import { OutputAnswer } from './output.answers';
import { OutputIdParam, RecordActionRequest, RecordOutputRequest, RecordPresentationRequest } from './output.requests';
import { ReportBodyPipe } from '../../usage/http/report-body.pipe';

const outputIdPipe = new SchemaPipe(OutputIdParam, 'path');

@ApiTags('outputs')
@Access('clinical-system')
@Controller('outputs')
export class OutputsController {
  constructor(
    private readonly writes: UsageWrites,
    private readonly queries: OutputQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records a report and answers with the output's record: 201, or 200 for a retry that recorded nothing. */
  private async run<K extends ReportKind>(
    kind: K,
    body: ReportBody<K>,
    caller: Caller,
    idempotency: IdempotentRequest | undefined,
    res: Response,
  ) {
    const report = reportFor(kind, body, reportContext(caller, this.clock));
    return sendReport(this.writes, idempotency, res, report, outputAnswer);
  }

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey(OutputAnswer)
  @ApiOperation({ summary: 'Record that a deployed model generated an output; an identical re-post is a harmless retry (200).' })
  @ApiBody({ schema: RecordOutputRequest as object })
  record(
    @Body(new ReportBodyPipe(RecordOutputRequest)) body: Static<typeof RecordOutputRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('output.generated', body, caller, idempotency, res);
  }

  @Post(':outputId/presentations')
  @HttpCode(201)
  @ApiIdempotencyKey(OutputAnswer)
  @ApiOperation({ summary: 'Record that the output was shown to a professional.' })
  @ApiBody({ schema: RecordPresentationRequest as object })
  present(
    @Param('outputId', outputIdPipe) outputId: string,
    @Body(new ReportBodyPipe(RecordPresentationRequest)) body: Static<typeof RecordPresentationRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('output.presented', { outputId, ...body }, caller, idempotency, res);
  }

  @Post(':outputId/actions')
  @HttpCode(201)
  @ApiIdempotencyKey(OutputAnswer)
  @ApiOperation({ summary: 'Record what a professional did with the output; overriding, modifying or escalating needs a rationale.' })
  @ApiBody({ schema: RecordActionRequest as object })
  act(
    @Param('outputId', outputIdPipe) outputId: string,
    @Body(new ReportBodyPipe(RecordActionRequest)) body: Static<typeof RecordActionRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run('output.acted-on', { outputId, ...body }, caller, idempotency, res);
  }

  @Get(':outputId')
  @ApiAnswer(200, OutputAnswer)
  @Access('clinical-system', 'auditor')
  @ApiOperation({
    summary: 'An output with its presentations, actions, instructions and full event history (reporting organisation only).',
  })
  get(@Param('outputId', outputIdPipe) outputId: string, @CurrentCaller() caller: Caller) {
    return this.queries.get(outputId, caller.organisationId);
  }
}
