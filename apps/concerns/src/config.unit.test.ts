import { DEFAULT_DUE_POLICY } from './concerns/domain/due-dates';
import { duePolicyFromEnv } from './config';

describe('the concerns service due policy from its environment', () => {
  it('keeps the defaults when nothing is set, and reads the periods given', () => {
    expect(duePolicyFromEnv({})).toEqual(DEFAULT_DUE_POLICY);
    const policy = duePolicyFromEnv({ CONCERN_ACKNOWLEDGE_WITHIN: 'high=PT20S', CONCERN_ANSWER_WITHIN: 'high=PT30S' });
    expect([policy.acknowledgeWithinSeconds.high, policy.answerWithinSeconds.high]).toEqual([20, 30]);
  });

  it('refuses the retired hour variables rather than ignore them', () => {
    expect(() => duePolicyFromEnv({ CONCERN_ANSWER_HOURS: 'high=24' })).toThrow(
      'CONCERN_ANSWER_HOURS is no longer read: set CONCERN_ANSWER_WITHIN with ISO 8601 durations (e.g. high=PT48H)',
    );
  });
});
