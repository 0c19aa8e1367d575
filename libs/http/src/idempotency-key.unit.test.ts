import { canonicalBody, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('accepts 1-200 visible ASCII characters and an absent header', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('~'.repeat(200))).toBe('~'.repeat(200));
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('"8e03978e-40d5-43e8-bc93-6894a57f9324"');
  });

  it.each(['', ' ', 'a b', 'x'.repeat(201), 'caf\u00e9', 'tab\there'])('refuses %j with IDEMPOTENCY.KEY_INVALID', (key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY.KEY_INVALID', kind: 'invalid' }));
  });
});

describe('requestFingerprint', () => {
  it('ignores key order and whitespace but not values, method or path', () => {
    const a = requestFingerprint('POST', '/outputs', { b: 1, a: [1, { y: 2, x: 1.5 }] });
    expect(requestFingerprint('post', '/outputs', JSON.parse('{ "a": [1, {"x": 1.5, "y": 2}], "b": 1 }'))).toBe(a);
    expect(requestFingerprint('POST', '/outputs', { b: 2, a: [1, { y: 2, x: 1.5 }] })).not.toBe(a);
    expect(requestFingerprint('POST', '/batches', { b: 1, a: [1, { y: 2, x: 1.5 }] })).not.toBe(a);
    expect(requestFingerprint('PUT', '/outputs', { b: 1, a: [1, { y: 2, x: 1.5 }] })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes canonical JSON with sorted keys and no undefined members', () => {
    expect(canonicalBody({ b: 'x', a: undefined, c: [null, true], d: { '\u00e9': 1, e: 2 } })).toBe('{"b":"x","c":[null,true],"d":{"e":2,"\u00e9":1}}');
  });
});
