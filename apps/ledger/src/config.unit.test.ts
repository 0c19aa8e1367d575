import { DEFAULT_RECURRING_PATTERN_INCIDENTS } from '@aal/accountability';
import { recurringPatternIncidentsFromEnv } from './config';

describe('RECURRING_PATTERN_INCIDENTS', () => {
  it('defaults to the documented threshold, takes a whole number of 2 or more, and stops the start-up on anything else', () => {
    expect(recurringPatternIncidentsFromEnv({})).toBe(DEFAULT_RECURRING_PATTERN_INCIDENTS);
    expect(recurringPatternIncidentsFromEnv({ RECURRING_PATTERN_INCIDENTS: '3' })).toBe(3);
    for (const text of ['1', '2.5', 'three', '-2'])
      expect(() => recurringPatternIncidentsFromEnv({ RECURRING_PATTERN_INCIDENTS: text })).toThrow(/RECURRING_PATTERN_INCIDENTS must be/);
  });
});
