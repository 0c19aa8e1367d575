import { freeTextIssues, pseudonymIssues, textHoldsNhsNumber } from './identifiers';

describe('identifier refusal', () => {
  it.each(['Her NHS number is 9434765919.', 'NHS no 943 476 5919, ward 7A', 'ref 943-476-5919', 'numbers 94347659190 run on'])(
    'reads %j as holding an NHS number',
    (text) => {
      expect(textHoldsNhsNumber(text)).toBe(true);
    },
  );

  it.each([
    'The alert missed sepsis in two patients with darker skin on ward 7A in March 2026.',
    'Sensitivity 0.71 vs 0.86 (n=1204) in the audit of 2026-03-01',
    'call 020 7946 0018',
    '1234 567 8901',
  ])('accepts %j', (text) => {
    expect(textHoldsNhsNumber(text)).toBe(false);
  });

  it('names each offending free-text field by pointer without echoing its value', () => {
    const issues = freeTextIssues({ '/description': 'patient 943 476 5919', '/reference': 'CR-118', '/other': undefined });
    expect(issues).toEqual([{ pointer: '/description', rule: 'no-identifier', detail: expect.stringContaining('/description') }]);
    expect(JSON.stringify(issues)).not.toContain('5919');
  });

  it('checks pseudonyms for a run of 10 digits only', () => {
    expect(pseudonymIssues({ '/subjectRef': 'psn_9434765919', '/professionalId': 'psn_943_476_5919' }).map((i) => i.pointer)).toEqual([
      '/subjectRef',
    ]);
  });
});
