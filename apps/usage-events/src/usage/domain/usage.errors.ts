import { DomainError } from '@aal/domain';
import type { FieldIssue } from './occurrence';

export const usageErrors = {
  occurredInFuture: (occurredAt: string, receivedAt: string, toleranceSeconds: number) =>
    new DomainError(
      'USAGE.OCCURRED_IN_FUTURE',
      'rule-violated',
      `occurredAt ${occurredAt} is more than ${toleranceSeconds} seconds after this service's clock (${receivedAt}); facts cannot be reported before they happen, so check the reporting system's clock`,
      { occurredAt, receivedAt, toleranceSeconds },
    ),
  unreadableTime: (pointer: string) =>
    new DomainError('USAGE.UNREADABLE_TIME', 'invalid', `${pointer} cannot be read as an instant (leap seconds are not accepted)`, {
      errors: [{ pointer, rule: 'instant', detail: `${pointer} cannot be read as an instant` }],
    }),
  identifierInPseudonym: (issues: readonly FieldIssue[]) =>
    new DomainError(
      'USAGE.IDENTIFIER_IN_PSEUDONYM',
      'invalid',
      `${issues.map((i) => i.pointer).join(', ')} must be a pseudonym, but contains a run of 10 digits that looks like an NHS number; nothing was recorded`,
      { errors: issues },
    ),
};
