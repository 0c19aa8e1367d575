import { DomainError, PushBackError } from '@aal/domain';
import type { KnownAt } from '@aal/accountability';

export const accountabilityErrors = {
  noEntriesYet: (outputId: string) =>
    new DomainError('OUTPUT.NOT_FOUND', 'not-found', `the ledger holds no entries yet, so no output.generated for output ${outputId}`, {
      outputId,
    }),
  nothingRecordedBy: (outputId: string, time: string) =>
    new DomainError(
      'OUTPUT.NOT_FOUND',
      'not-found',
      `the ledger had recorded nothing by ${time}, so no output.generated for output ${outputId}`,
      { outputId, knownAt: time },
    ),
  outputNotKnown: (outputId: string, knownAt: KnownAt) =>
    new DomainError(
      'OUTPUT.NOT_FOUND',
      'not-found',
      `the ledger holds no output.generated for output ${outputId} among the entries it knew up to seq ${knownAt.seq} (recorded by ${knownAt.recordedAt})`,
      { outputId, knownAt },
    ),
  badSeq: (knownAt: { readonly seq: number }) =>
    new DomainError('ACCOUNTABILITY.BAD_CLOCK', 'invalid', `knownAt.seq must be a sequence number (0 or more): ${knownAt.seq}`, {
      knownAt,
    }),
  badTime: (name: string, value: string) =>
    new DomainError('ACCOUNTABILITY.BAD_CLOCK', 'invalid', `${name} is not a valid RFC 3339 date-time: ${value}`, { [name]: value }),
  /** `position`: the projection holds every entry below it. */
  projectionBehind: (waitFor: number, position: number, retryAfterSeconds: number) =>
    new PushBackError(
      'PROJECTION.BEHIND',
      `the accountability projection has applied entries up to seq ${position - 1}, not yet ${waitFor}; retry after ${retryAfterSeconds} s`,
      retryAfterSeconds,
      { waitFor, position },
    ),
};
