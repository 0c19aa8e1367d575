import { DomainError } from '@aal/domain';
import { thrownBy } from '@aal/testing/unit';
import { at } from '../../testing/usage.factories';
import { assertNotInFuture, FUTURE_TOLERANCE_SECONDS, instant } from './occurred-at.rule';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('occurredAt rules', () => {
  it('reads instants whatever the offset they are written at', () => {
    expect(instant('2025-03-01T13:00:00+01:00')).toBe(instant('2025-03-01T12:00:00Z'));
    expect(instant('2025-03-01T12:00:00.250Z') - instant('2025-03-01T12:00:00Z')).toBe(250);
  });

  it('refuses a time that names no instant (a leap second), pointing at the field', () => {
    const refusal = thrownBy(DomainError, () => instant('2016-12-31T23:59:60Z', '/occurredAt'));
    expect(refusal).toMatchObject({ code: 'USAGE.UNREADABLE_TIME', kind: 'invalid' });
    expect(refusal.context['errors']).toEqual([expect.objectContaining({ pointer: '/occurredAt' })]);
  });

  it('tolerates up to 5 minutes ahead of the service clock', () => {
    expect(FUTURE_TOLERANCE_SECONDS).toBe(300);
    expect(() => assertNotInFuture({ occurredAt: at(NOW, 5), receivedAt: at(NOW) })).not.toThrow();
  });

  it('refuses anything beyond, with both clocks as evidence', () => {
    const occurredAt = new Date(NOW + 300_001).toISOString();
    const refusal = thrownBy(DomainError, () => assertNotInFuture({ occurredAt, receivedAt: at(NOW) }));
    expect(refusal).toMatchObject({ code: 'USAGE.OCCURRED_IN_FUTURE', kind: 'rule-violated' });
    expect(refusal.context).toEqual({ occurredAt, receivedAt: at(NOW), toleranceSeconds: 300 });
  });

  it('compares instants, so a near-future time written at a western offset is still refused', () => {
    // 07:10-05:00 is 12:10Z: ten minutes ahead, though the string sorts before 12:00Z.
    expect(() => assertNotInFuture({ occurredAt: at(NOW, 10, '-05:00'), receivedAt: at(NOW) })).toThrow(DomainError);
  });

  it('accepts any past time: late reports are facts, shown as late by the ledger', () => {
    expect(() => assertNotInFuture({ occurredAt: '2019-06-01T08:00:00Z', receivedAt: at(NOW) })).not.toThrow();
  });
});
