import type { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

const principal = (personId: string): Principal => ({ organisationId: 'st-swithins', personId, roles: ['auditor'], grants: [] });

describe('VerifiedTokens', () => {
  it('answers an identical token until its expiry, and nothing for any other text', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember('a.b.c', principal('psn_a'), 5_000, 0);
    expect(tokens.get('a.b.c', 5_000)).toEqual(principal('psn_a'));
    expect(tokens.get('a.b.c', 5_001)).toBeUndefined();
    expect(tokens.get('a.b.C', 0)).toBeUndefined();
  });

  it('answers for the max age at most, even when the token lives longer', () => {
    const tokens = new VerifiedTokens(10, 60_000);
    tokens.remember('long', principal('psn_a'), 3_600_000, 1_000);
    expect(tokens.get('long', 61_000)).toEqual(principal('psn_a'));
    expect(tokens.get('long', 61_001)).toBeUndefined();
  });

  it('keeps at most its capacity, the least recently used leaving first', () => {
    const tokens = new VerifiedTokens(2, 60_000);
    tokens.remember('one', principal('psn_1'), 10_000, 0);
    tokens.remember('two', principal('psn_2'), 10_000, 0);
    expect(tokens.get('one', 1)).toBeDefined();
    tokens.remember('three', principal('psn_3'), 10_000, 0);
    expect(tokens.size).toBe(2);
    expect(tokens.get('two', 1)).toBeUndefined();
    expect(tokens.get('one', 1)).toBeDefined();
    expect(tokens.get('three', 1)).toBeDefined();
  });
});
