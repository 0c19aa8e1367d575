import { fieldWords, localTime, utcDayText, utcTitle } from './view-words';

describe('the page words for field names', () => {
  it('given a key with its own words, then those words', () => {
    expect(fieldWords('minimumReviewSeconds')).toBe('minimum review time (s)');
    expect(fieldWords('outputsPerProfessional')).toBe('outputs per active professional');
  });

  it('given any other camelCase key, then its words in lower case', () => {
    expect(fieldWords('intendedUse')).toBe('intended use');
    expect(fieldWords('knownLimitations')).toBe('known limitations');
    expect(fieldWords('action')).toBe('action');
    expect(fieldWords('effectiveFromUTC')).toBe('effective from utc');
  });
});

describe('the page dates', () => {
  it('given an instant, when written for a time zone, then weekday, day, month, year and 24-hour time there', () => {
    expect(localTime('2026-11-02T09:00:00Z', 'UTC')).toBe('Mon 2 Nov 2026, 09:00');
    expect(localTime('2026-11-02T09:00:00Z', 'Europe/Berlin')).toBe('Mon 2 Nov 2026, 10:00');
    // Summer time: two hours ahead of UTC, and past midnight the next day.
    expect(localTime('2026-10-05T22:30:00.000Z', 'Europe/Berlin')).toBe('Tue 6 Oct 2026, 00:30');
    expect(localTime('2026-09-28T09:03:00Z', 'Europe/Berlin')).toBe('Mon 28 Sep 2026, 11:03');
  });

  it('given a bucket boundary, then its UTC day whatever the reader’s zone', () => {
    expect(utcDayText('2026-10-05T00:00:00.000Z')).toBe('Mon 5 Oct 2026');
  });

  it('given the hover value, then the exact UTC instant in ISO 8601', () => {
    expect(utcTitle('2026-10-05T08:00:00.000Z')).toBe('2026-10-05T08:00:00Z');
    expect(utcTitle('2026-10-05T10:00:00.123+02:00')).toBe('2026-10-05T08:00:00.123Z');
  });

  it('given what is not a time, then it as it is', () => {
    expect(localTime('not a time', 'UTC')).toBe('not a time');
    expect(utcTitle('2027-11-01x')).toBe('2027-11-01x');
  });
});
