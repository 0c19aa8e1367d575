import fc from 'fast-check';
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
    expect(canonicalBody({ b: 'x', a: undefined, c: [null, true], d: { '\u00e9': 1, e: 2 } })).toBe(
      '{"b":"x","c":[null,true],"d":{"e":2,"\u00e9":1}}',
    );
  });

  // The recursive definition the iterative one replaced: the output must stay byte-identical.
  const recursive = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map((v) => recursive(v === undefined ? null : v)).join(',')}]`;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${recursive(record[k])}`).join(',')}}`;
  };

  it('writes exactly what the recursive definition writes, for any JSON-like value', () => {
    const values = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('value')),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(values, (value) => canonicalBody(value) === recursive(value)),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it('writes a body nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    const text = canonicalBody(deep);
    expect(text.length).toBe(50_000 * `{"a":[]}`.length + `"x"`.length);
    expect(text.startsWith('{"a":[{"a":[')).toBe(true);
    expect(requestFingerprint('POST', '/outputs', deep)).toMatch(/^[0-9a-f]{64}$/);
  });
});
