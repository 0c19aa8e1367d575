import fc from 'fast-check';
import { asciiJson } from './wire-format';

describe('asciiJson (how exports are written)', () => {
  it('given a bundle-like object with a character beyond ASCII in one member, when written, then the text is ASCII and parses to the same value', () => {
    const value = {
      format: 'aal-case-export/v2',
      checkpoint: { note: 'origin\n3\nabc=\n\n\u2014 origin sig=\n' },
      entries: [{ seq: 0, title: 'Zo\u00eb\u2019s case \ud83e\ude7a' }],
      skipped: undefined,
      report: { html: '<p>ascii</p>' },
    };
    const text = asciiJson(value);
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    expect(text).toContain('\\u2014 origin');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('given any JSON value, when written, then it is ASCII and the same value as JSON.stringify gives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (any, object) => {
        for (const value of [any, object]) {
          const text = asciiJson(value);
          expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        }
      }),
    );
  });
});
