import { DomainError } from '@aal/domain';
import { replayFor } from './idempotent-request';

describe('replayFor', () => {
  const request = { organisationId: 'st-swithins-hospital', key: 'k-1', fingerprint: 'a'.repeat(64) };
  const response = { status: 201, body: '{"accepted":1}' };

  it('replays the stored response for the same fingerprint', () => {
    expect(replayFor(request, { fingerprint: request.fingerprint, response })).toBe(response);
  });

  it('refuses another request under the same key with IDEMPOTENCY.KEY_REUSED (rule-violated)', () => {
    let refusal: unknown;
    try {
      replayFor(request, { fingerprint: 'b'.repeat(64), response });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', kind: 'rule-violated' });
  });
});
