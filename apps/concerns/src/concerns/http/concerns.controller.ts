import { Access, CurrentPrincipal, Public, type Principal } from '@aal/auth';
import { ApiAnswer, CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ConcernQueries } from '../application/concern.queries';
import { RaiseConcernCommand, RespondToConcernCommand, type ConcernRun } from '../application/execute-concern-command.handler';
import { DUE_POLICY } from '../concerns.tokens';
import type { DuePolicy } from '../domain/due-dates';
import { AcknowledgeConcernRequest, AnswerConcernRequest, IdParam, RaiseConcernRequest } from './concern.requests';
import { ConcernAnswer, RaisedConcernAnswer, ReceiptAnswer } from './concern.answers';

const uuid = new SchemaPipe(IdParam, 'path');

/** The path of a receipt: a capability URL, so whoever holds it sees that one concern's status. */
export const receiptPath = (code: string) => `/concerns/receipts/${code}`;

/** A request path with any receipt code replaced, for logs: whoever reads the logs must not be able to open a receipt. */
export const redactReceiptCodes = (path: string) => path.replace(/\/concerns\/receipts\/[^/?#]*/g, '/concerns/receipts/[redacted]');

@ApiTags('concerns')
@Controller('concerns')
export class ConcernsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ConcernQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DUE_POLICY) private readonly duePolicy: DuePolicy,
  ) {}

  // Declared before `:concernId` so that `receipts` is never read as a concern id.
  @Get('receipts/:code')
  @ApiAnswer(200, ReceiptAnswer)
  @Public(
    'Whoever raised a concern holds its receipt code (256 random bits, stored only as a hash); it shows that one concern’s status and nothing else.',
  )
  @ApiOperation({ summary: 'The status of the one concern this receipt code was given for: 404 for any other code.' })
  receipt(@Param('code') code: string) {
    return this.queries.byReceipt(code);
  }

  @Post()
  @Access('concern-intake')
  @HttpCode(201)
  @ApiAnswer(201, RaisedConcernAnswer)
  @ApiOperation({
    summary:
      'Take in a concern about one of the caller’s model versions or deployments; answers with its receipt code and capability URL, shown only this once.',
  })
  @ApiBody({ schema: RaiseConcernRequest as object })
  async raise(@Body(new SchemaPipe(RaiseConcernRequest)) body: Static<typeof RaiseConcernRequest>, @CurrentCaller() caller: Caller) {
    const concernId = randomUUID();
    const { about, ...rest } = body;
    const result: ConcernRun & { receiptCode: string } = await this.commands.execute(
      new RaiseConcernCommand({
        kind: 'RaiseConcern',
        concernId,
        requested: about,
        ...rest,
        duePolicy: this.duePolicy,
        actor: caller,
        occurredAt: this.clock.now().toISOString(),
      }),
    );
    const concern = await this.queries.get(concernId);
    return { ...concern, receipt: { code: result.receiptCode, url: receiptPath(result.receiptCode) } };
  }

  @Get(':concernId')
  @ApiAnswer(200, ConcernAnswer)
  @Access('concern-intake', 'vendor-safety-officer', 'employer-admin', 'auditor')
  @ApiOperation({ summary: 'A concern with its event history, for the organisation that took it in and its addressees.' })
  get(@Param('concernId', uuid) concernId: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(concernId, principal);
  }

  @Post(':concernId/acknowledgements')
  @ApiAnswer(201, ConcernAnswer)
  @Access('concern-intake', 'vendor-safety-officer', 'employer-admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Acknowledge a concern addressed to the caller’s organisation.' })
  @ApiBody({ schema: AcknowledgeConcernRequest as object })
  async acknowledge(
    @Param('concernId', uuid) concernId: string,
    @Body(new SchemaPipe(AcknowledgeConcernRequest)) _body: Static<typeof AcknowledgeConcernRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    await this.commands.execute(
      new RespondToConcernCommand({ kind: 'AcknowledgeConcern', concernId, actor: caller, occurredAt: this.clock.now().toISOString() }),
    );
    return this.queries.get(concernId);
  }

  @Post(':concernId/answers')
  @ApiAnswer(201, ConcernAnswer)
  @Access('concern-intake', 'vendor-safety-officer', 'employer-admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Answer a concern addressed to the caller’s organisation: what was done, and a reference to it.' })
  @ApiBody({ schema: AnswerConcernRequest as object })
  async answer(
    @Param('concernId', uuid) concernId: string,
    @Body(new SchemaPipe(AnswerConcernRequest)) body: Static<typeof AnswerConcernRequest>,
    @CurrentCaller() caller: Caller,
  ) {
    await this.commands.execute(
      new RespondToConcernCommand({ kind: 'AnswerConcern', concernId, ...body, actor: caller, occurredAt: this.clock.now().toISOString() }),
    );
    return this.queries.get(concernId);
  }
}
