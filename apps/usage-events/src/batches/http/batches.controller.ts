import { Access } from '@aal/auth';
import { CurrentCaller, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { ApiIdempotencyKey, Idempotency, sendWrite } from '../../idempotency/http/idempotency.http';
import { ReportsRefused, UsageWrites } from '../../reports/application/usage-writes';
import { reportContext, reportFor } from '../../reports/http/report-requests';
import { BatchAnswer } from './batch.answers';
import { BatchRequestDoc, batchRejected, parseBatch, refusalErrors } from './batch.request';

@ApiTags('batches')
@Access('clinical-system')
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly writes: UsageWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiIdempotencyKey(BatchAnswer)
  @ApiOperation({
    summary:
      'Record up to 5,000 reports at once, atomically and in order (later items may depend on earlier ones). If any item is refused, nothing is stored and the problem lists every refused item.',
  })
  @ApiBody({ schema: BatchRequestDoc as object })
  async record(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Idempotency() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const items = parseBatch(body);
    const ctx = reportContext(caller, this.clock);
    const reports = items.map((item) => reportFor(item.kind, item.body as never, ctx));
    const result = await this.writes.write(idempotency, async (tx) => {
      try {
        const applied = await tx.apply(reports);
        return {
          status: 201,
          body: {
            accepted: applied.length,
            items: applied.map((a, index) => ({
              index,
              kind: items[index]!.kind,
              subject: a.subject,
              eventIds: a.events.map((e) => e.id),
            })),
          },
        };
      } catch (err) {
        if (err instanceof ReportsRefused) throw batchRejected(422, refusalErrors(err.refusals), items.length);
        throw err;
      }
    });
    return sendWrite(res, result);
  }
}
