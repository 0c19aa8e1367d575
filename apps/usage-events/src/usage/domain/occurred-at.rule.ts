import { usageErrors } from './usage.errors';
import type { Timing } from './occurrence';

/**
 * How far ahead of this service's clock a reported time may be. Clinical systems' clocks drift;
 * beyond this a time is a mistake, not drift. Late (past) times are always accepted: the ledger
 * shows them as late rather than refusing a true fact.
 */
export const FUTURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * Milliseconds since the epoch of an RFC 3339 date-time already checked by its schema. Compare
 * reported times with this, never as strings: `10:30+01:00` is before `10:00Z`.
 * @throws DomainError USAGE.UNREADABLE_TIME (kind invalid) when the value names no instant.
 */
export function instant(value: string, pointer = '/occurredAt'): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw usageErrors.unreadableTime(pointer);
  return ms;
}

/** @throws DomainError USAGE.OCCURRED_IN_FUTURE when `occurredAt` is beyond the tolerance after `receivedAt`. */
export function assertNotInFuture(timing: Timing): void {
  if (instant(timing.occurredAt) - instant(timing.receivedAt, '/receivedAt') > FUTURE_TOLERANCE_SECONDS * 1000) {
    throw usageErrors.occurredInFuture(timing.occurredAt, timing.receivedAt, FUTURE_TOLERANCE_SECONDS);
  }
}
