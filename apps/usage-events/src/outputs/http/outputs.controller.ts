import { Access } from '@aal/auth';
import { CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ApiIdempotencyKey, Idempotency, sendWrite } from '../../idempotency/http/idempotency.http';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { outputRecord } from '../../usage/application/records';
import { UsageWrites } from '../../usage/application/usage-writes';
import type { Timing } from '../../usage/domain/occurrence';
import { OUTPUT_AGGREGATE } from '../../usage/domain/report';
import { OutputQueries } from '../application/output.queries';
import type { ReportedOutputCommand } from '../domain/output.types';
import { OutputIdParam, RecordActionRequest, RecordOutputRequest, RecordPresentationRequest } from './output.requests';

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
  private async run(command: ReportedOutputCommand, idempotency: IdempotentRequest | undefined, res: Response) {
    const result = await this.writes.write(idempotency, async (tx) => {
      const { events } = await tx.applyOne({ aggregate: OUTPUT_AGGREGATE, command });
      return { status: events.length === 0 ? 200 : 201, body: await outputRecord(tx.manager, command.facts.outputId, command.facts.organisationId) };
    });
    return sendWrite(res, result);
  }

  private clocks(occurredAt: string): Timing {
    return { occurredAt, receivedAt: this.clock.now().toISOString() };
  }

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Record that a deployed model generated an output; an identical re-post is a harmless retry (200).' })
  @ApiBody({ schema: RecordOutputRequest as object })
  record(
    @Body(new SchemaPipe(RecordOutputRequest)) body: Static<typeof RecordOutputRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { occurredAt, ...facts } = body;
    return this.run({ kind: 'RecordOutput', facts: { ...facts, organisationId: caller.organisationId, actor: caller }, ...this.clocks(occurredAt) }, idempotency, res);
  }

  @Post(':outputId/presentations')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Record that the output was shown to a professional.' })
  @ApiBody({ schema: RecordPresentationRequest as object })
  present(
    @Param('outputId', outputIdPipe) outputId: string,
    @Body(new SchemaPipe(RecordPresentationRequest)) body: Static<typeof RecordPresentationRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { occurredAt, ...facts } = body;
    return this.run(
      { kind: 'RecordPresentation', facts: { outputId, organisationId: caller.organisationId, ...facts, actor: caller }, ...this.clocks(occurredAt) },
      idempotency,
      res,
    );
  }

  @Post(':outputId/actions')
  @HttpCode(201)
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Record what a professional did with the output; overriding, modifying or escalating needs a rationale.' })
  @ApiBody({ schema: RecordActionRequest as object })
  act(
    @Param('outputId', outputIdPipe) outputId: string,
    @Body(new SchemaPipe(RecordActionRequest)) body: Static<typeof RecordActionRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { occurredAt, ...facts } = body;
    return this.run(
      { kind: 'RecordAction', facts: { outputId, organisationId: caller.organisationId, ...facts, actor: caller }, ...this.clocks(occurredAt) },
      idempotency,
      res,
    );
  }

  @Get(':outputId')
  @Access('clinical-system', 'auditor')
  @ApiOperation({ summary: "An output with its presentations, actions, instructions and full event history (reporting organisation only)." })
  get(@Param('outputId', outputIdPipe) outputId: string, @CurrentCaller() caller: Caller) {
    return this.queries.get(outputId, caller.organisationId);
  }
}
