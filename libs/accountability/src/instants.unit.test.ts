import { instant } from './instants';

describe('instant (memoised Date.parse)', () => {
  it('given RFC 3339 strings, when parsed twice, then both times it is what Date.parse gives', () => {
    for (const iso of ['2026-11-02T09:00:00Z', '2026-11-02T09:00:00.123+01:00', '2026-11-02']) {
      expect(instant(iso)).toBe(Date.parse(iso));
      expect(instant(iso)).toBe(Date.parse(iso));
    }
  });

  it('given a string that is not a time, when parsed twice, then it is NaN both times (NaN is cached, not re-parsed as a miss)', () => {
    expect(instant('not a time')).toBeNaN();
    expect(instant('not a time')).toBeNaN();
  });

  it('given more distinct strings than the cache holds, when each is parsed again, then every answer is still Date.parse', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString());
    for (const iso of many) instant(iso);
    expect(many.every((iso) => instant(iso) === Date.parse(iso))).toBe(true);
  });
});
