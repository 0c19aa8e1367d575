import { Access } from '@aal/auth';
import { InstructionGivenV1 } from '@aal/contracts';
import { CurrentCaller, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { ApiIdempotencyKey, Idempotency } from '../../idempotency/http/idempotency.http';
import { UsageWrites, type AppliedReport } from '../../reports/application/usage-writes';
import { reportContext, reportFor } from '../../reports/http/report-requests';
import { sendReport } from '../../reports/http/send-report';
import { instructionRecord } from '../domain/instruction-given';
import type { InstructionGivenEvent } from '../domain/instruction.types';
import { InstructionAnswer } from './instruction.answers';
import { GiveInstructionRequest } from './instruction.requests';
import { ReportBodyPipe } from '../../usage/http/report-body.pipe';

/** The instruction a report recorded, as the API shows it. */
export function instructionView(applied: AppliedReport) {
  const event = applied.decided.find((e): e is InstructionGivenEvent => e.name === 'instruction.given');
  if (!event) throw new Error('giving an instruction recorded no instruction.given event');
  return { ...instructionRecord(event), subject: InstructionGivenV1.subjectOf(event.data) };
}

@ApiTags('instructions')
@Access('clinical-system')
@Controller('instructions')
export class InstructionsController {
  constructor(
    private readonly writes: UsageWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey(InstructionAnswer)
  @ApiOperation({ summary: 'Record that someone instructed a professional to use, follow or not use the AI, for an output or a case.' })
  @ApiBody({ schema: GiveInstructionRequest as object })
  async give(
    @Body(new ReportBodyPipe(GiveInstructionRequest)) body: Static<typeof GiveInstructionRequest>,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = reportFor('instruction.given', body, reportContext(caller, this.clock));
    return sendReport(this.writes, idempotency, res, report, async (applied) => ({ status: 201, body: instructionView(applied) }));
  }
}
