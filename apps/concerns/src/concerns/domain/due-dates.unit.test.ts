import { DEFAULT_DUE_POLICY, dueDates, duePolicyFrom, DuePolicyError, durationSeconds } from './due-dates';

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

  it.each([
    ['P14D', 14 * 86_400],
    ['PT48H', 48 * 3600],
    ['P1DT12H', 36 * 3600],
    ['PT1M30S', 90],
    ['PT30S', 30],
    ['PT0S', 0],
  ])('reads the ISO 8601 duration %s as %i s', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each(['P', 'PT', 'P1M', 'P1Y', 'P2W', 'PT1.5H', 'P1DT', '48', 'pt48h', 'PT-1H', ' PT1H'])('refuses %p as a duration', (text) => {
    expect(durationSeconds(text)).toBeNull();
  });

  it('takes configured periods over the defaults, down to the second', () => {
    const policy = duePolicyFrom({ acknowledge: 'critical=PT4H, high=PT12H', answer: 'critical=P2D' });
    expect(policy.acknowledgeWithinSeconds).toEqual({
      ...DEFAULT_DUE_POLICY.acknowledgeWithinSeconds,
      critical: 4 * 3600,
      high: 12 * 3600,
    });
    expect(policy.answerWithinSeconds.critical).toBe(2 * 86_400);
    expect(dueDates(duePolicyFrom({ acknowledge: 'high=PT20S', answer: 'high=PT30S' }), 'high', '2026-03-02T10:00:00.000Z')).toEqual({
      acknowledgeBy: '2026-03-02T10:00:20.000Z',
      answerBy: '2026-03-02T10:00:30.000Z',
    });
  });

  it('refuses a period it cannot read, one of zero, and an answer due before the acknowledgement', () => {
    expect(() => duePolicyFrom({ acknowledge: 'urgent=PT4H' })).toThrow(DuePolicyError);
    expect(() => duePolicyFrom({ answer: 'high=336' })).toThrow(/cannot read "high=336"/);
    expect(() => duePolicyFrom({ answer: 'high=P1M' })).toThrow(DuePolicyError);
    expect(() => duePolicyFrom({ acknowledge: 'high=PT0S' })).toThrow(DuePolicyError);
    expect(() => duePolicyFrom({ acknowledge: 'low=P61D' })).toThrow(/before its acknowledgement/);
  });
});
