import type { Response } from 'express';
import type { IdempotentRequest } from '../../idempotency/domain/idempotent-request';
import { sendWrite } from '../../idempotency/http/idempotency.http';
import type { AppliedReport, UsageWrites, WriteTransaction } from '../application/usage-writes';
import { outputRecordAfter } from '../application/written-records';
import type { Report } from '../domain/report';

/** What a single-report route answers, built inside the write's transaction from what its report recorded. */
export type ReportAnswer = (applied: AppliedReport, tx: WriteTransaction) => Promise<{ status: number; body: unknown }>;

/** The output routes' answer (native and FHIR alike): the output's record, 201, or 200 for a retry that recorded nothing. */
export const outputAnswer: ReportAnswer = async (applied, tx) => ({
  status: applied.events.length === 0 ? 200 : 201,
  body: await outputRecordAfter(applied, tx),
});

/**
 * Records one report through the one write path (under the request's idempotency key, if any) and
 * sends the answer `answer` builds: what every single-report route does once its body is a report.
 * @throws DomainError when the report is refused (nothing is written then).
 */
export async function sendReport(
  writes: UsageWrites,
  idempotency: IdempotentRequest | undefined,
  res: Response,
  report: Report,
  answer: ReportAnswer,
): Promise<unknown> {
  const result = await writes.write(idempotency, async (tx) => answer(await tx.applyOne(report), tx));
  return sendWrite(res, result);
}
