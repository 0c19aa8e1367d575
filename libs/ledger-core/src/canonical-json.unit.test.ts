import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('given the same object with its keys in another order, when encoded, then the bytes are identical', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: true })).toBe(canonicalJson({ c: true, a: 'x', b: 1 }));
    expect(canonicalJson({ b: 1, a: 'x', c: true })).toBe('{"a":"x","b":1,"c":true}');
  });

  it('given nested objects and arrays, when encoded, then keys are sorted at every level and array order is kept', () => {
    expect(canonicalJson({ z: { y: [3, { b: null, a: 'é' }], x: false }, a: [] })).toBe(
      '{"a":[],"z":{"x":false,"y":[3,{"a":"é","b":null}]}}',
    );
  });

  it('given keys that differ in case and length, when encoded, then they sort by UTF-16 code units', () => {
    expect(canonicalJson({ b: 0, a: 0, B: 0, aa: 0, _: 0, '10': 0, '9': 0 })).toBe('{"10":0,"9":0,"B":0,"_":0,"a":0,"aa":0,"b":0}');
  });

  it('given strings needing escapes, when encoded, then JSON.stringify escaping is used and no whitespace is added', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak "quoted" \\ \u0001' })).toBe('{"k\\"ey":"line\\nbreak \\"quoted\\" \\\\ \\u0001"}');
  });

  it('given a property whose value is undefined, when encoded, then it is left out as JSON.stringify would', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('given safe integers at the limits, when encoded, then they are written in plain decimal', () => {
    expect(canonicalJson([0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])).toBe('[0,-1,9007199254740991,-9007199254740991]');
  });

  it.each([1.5, 0.1, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, -Infinity])(
    'given the number %p, when encoded, then it is refused (carry it as a string)',
    (n) => {
      expect(() => canonicalJson({ n })).toThrow(TypeError);
      expect(() => canonicalJson({ n })).toThrow(/only safe integers/);
    },
  );

  it('given undefined inside an array, when encoded, then it is refused rather than silently becoming null', () => {
    expect(() => canonicalJson([1, undefined, 2])).toThrow(new TypeError('canonical JSON cannot carry undefined'));
  });

  it.each([
    ['a bigint', 10n],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['undefined at the top', undefined],
  ])('given %s, when encoded, then it is refused', (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('given any JSON document of integers, when encoded, then it parses back to an equal value', () => {
    const json = fc.jsonValue().filter((v) => !containsNonInteger(v));
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('given any object, when its keys are reversed, then the encoding does not change', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});

function containsNonInteger(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(containsNonInteger);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsNonInteger);
  return false;
}
