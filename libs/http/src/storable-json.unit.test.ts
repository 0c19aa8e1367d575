import { findUnstorableJson, MAX_JSON_DEPTH, pointerToken } from './storable-json';

const nested = (levels: number): unknown => {
  let value: unknown = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

describe('findUnstorableJson', () => {
  it('given ordinary JSON with emoji (surrogate pairs) and escapes, when checked, then nothing is found', () => {
    expect(findUnstorableJson({ note: 'sepsis 🚑 risk', list: ['é', '\t', 1, null, true], nested: { '🚑': 'ok' } })).toBeUndefined();
  });

  it.each([
    ['U+0000', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
    ['surrogates in the wrong order', '\udc00\ud800'],
  ])('given a string with %s, when checked, then REQUEST.UNSTORABLE_TEXT names its pointer', (_what, bad) => {
    expect(findUnstorableJson({ items: [{ body: { summary: bad } }] })).toEqual({
      code: 'REQUEST.UNSTORABLE_TEXT',
      issues: [expect.objectContaining({ pointer: '/items/0/body/summary', rule: 'storable-text' })],
    });
  });

  it('given a member name with U+0000 or "/" and "~", when checked, then the pointer escapes them per RFC 6901', () => {
    expect(pointerToken('a/b~c')).toBe('a~1b~0c');
    expect(findUnstorableJson({ 'x/y~': { 'k\u0000': 1 } })?.issues).toEqual([expect.objectContaining({ pointer: '/x~1y~0/k\u0000' })]);
  });

  it('given several bad strings, when checked, then each is listed in document order', () => {
    expect(findUnstorableJson({ a: '\u0000', b: ['ok', '\ud800'], c: { d: '\udfff' } })?.issues.map((i) => i.pointer)).toEqual([
      '/a',
      '/b/1',
      '/c/d',
    ]);
  });

  it(`given ${MAX_JSON_DEPTH} levels, when checked, then it is accepted; one more is REQUEST.TOO_DEEP at the first container past the limit`, () => {
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findUnstorableJson(nested(MAX_JSON_DEPTH + 1))).toEqual({
      code: 'REQUEST.TOO_DEEP',
      issues: [
        {
          pointer: `/${Array(MAX_JSON_DEPTH).fill('a').join('/')}`,
          rule: 'max-depth',
          message: expect.stringContaining(`${MAX_JSON_DEPTH}`),
        },
      ],
    });
  });

  it('given a body nested 100,000 deep (arrays), when checked, then it is refused without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findUnstorableJson({ outputId: deep })?.code).toBe('REQUEST.TOO_DEEP');
  });
});
