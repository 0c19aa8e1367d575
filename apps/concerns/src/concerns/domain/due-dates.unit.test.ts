import { DEFAULT_DUE_POLICY, dueDates, duePolicyFrom, DuePolicyError } from './due-dates';

describe('concern due dates', () => {
  it.each([
    ['critical', '2026-03-03T10:00:00.000Z', '2026-03-09T10:00:00.000Z'],
    ['high', '2026-03-04T10:00:00.000Z', '2026-03-16T10:00:00.000Z'],
    ['moderate', '2026-03-07T10:00:00.000Z', '2026-04-01T10:00:00.000Z'],
    ['low', '2026-03-12T10:00:00.000Z', '2026-05-01T10:00:00.000Z'],
  ] as const)('by default a %s concern is due for acknowledgement at %s and an answer at %s', (severity, acknowledgeBy, answerBy) => {
    expect(dueDates(DEFAULT_DUE_POLICY, severity, '2026-03-02T10:00:00.000Z')).toEqual({ acknowledgeBy, answerBy });
  });

  it('counts from the intake instant whatever its offset, answering in UTC', () => {
    expect(dueDates(DEFAULT_DUE_POLICY, 'critical', '2026-03-02T12:00:00+02:00').acknowledgeBy).toBe('2026-03-03T10:00:00.000Z');
  });

  it('takes configured periods over the defaults', () => {
    const policy = duePolicyFrom({ acknowledge: 'critical=4, high=12', answer: 'critical=48' });
    expect(policy.acknowledgeWithinHours).toEqual({ ...DEFAULT_DUE_POLICY.acknowledgeWithinHours, critical: 4, high: 12 });
    expect(policy.answerWithinHours.critical).toBe(48);
  });

  it('refuses a period it cannot read, and an answer due before the acknowledgement', () => {
    expect(() => duePolicyFrom({ acknowledge: 'urgent=4' })).toThrow(DuePolicyError);
    expect(() => duePolicyFrom({ answer: 'high=1.5' })).toThrow(DuePolicyError);
    expect(() => duePolicyFrom({ acknowledge: 'low=2000' })).toThrow(/before its acknowledgement/);
  });
});
