import { explainIdentifyingMembers } from './identifying-members';

describe('explainIdentifyingMembers', () => {
  it.each(['dateOfBirth', 'birth_date', 'DOB', 'age', 'age-in-years'])(
    'explains a refused member %s as an exact age, pointing to ageBand',
    (member) => {
      const [issue] = explainIdentifyingMembers([
        { pointer: `/population/${member}`, rule: 'additionalProperties', message: 'is not an allowed property' },
      ]);
      expect(issue).toEqual({
        pointer: `/population/${member}`,
        rule: 'additionalProperties',
        message: expect.stringMatching(
          /^is not an allowed property: an exact date of birth or age .* send population\.ageBand \(one of 0-1, .*80-plus\)/,
        ),
      });
    },
  );

  it.each(['nhsNumber', 'NHS_NO', 'patientId', 'mrn'])('explains a refused member %s as a patient identifier', (member) => {
    expect(
      explainIdentifyingMembers([{ pointer: `/${member}`, rule: 'additionalProperties', message: 'is not an allowed property' }])[0]
        ?.message,
    ).toContain('patient identifiers never enter the ledger');
  });

  it('leaves other issues, and other unknown members, as they were', () => {
    const issues = [
      { pointer: '/colour', rule: 'additionalProperties', message: 'is not an allowed property' },
      { pointer: '/population/ageBand', rule: 'anyOf', message: 'must be one of …' },
      { pointer: '/age', rule: 'type', message: 'must be string' },
    ];
    expect(explainIdentifyingMembers(issues)).toEqual(issues);
  });
});
