import { AGE_BANDS, type ValidationIssue } from '@aal/contracts';

/**
 * Member names a clinical system might send that would identify a patient. Every request body is
 * closed, so such a member is refused anyway; this only makes the refusal say why and what to send
 * instead. Names are compared without case, `_` or `-`, so `date_of_birth` and `DateOfBirth` match.
 */
const IDENTIFYING: ReadonlyArray<{ readonly names: readonly string[]; readonly why: string }> = [
  {
    names: ['dateofbirth', 'birthdate', 'dob', 'birthday', 'yearofbirth', 'age', 'ageyears', 'ageinyears', 'ageinmonths', 'agemonths'],
    why: `an exact date of birth or age can identify a patient and is never accepted; send population.ageBand (one of ${AGE_BANDS.join(', ')}) instead`,
  },
  {
    names: ['nhsnumber', 'nhsno', 'nhs', 'chinumber', 'hcnumber', 'mrn', 'patientid', 'patientidentifier', 'hospitalnumber', 'identifier'],
    why: 'patient identifiers never enter the ledger and are never accepted; name the patient only by subjectRef, a pseudonym',
  },
  {
    names: [
      'name',
      'patientname',
      'givenname',
      'familyname',
      'surname',
      'address',
      'postcode',
      'email',
      'phone',
      'telephone',
      'gender',
      'sex',
    ],
    why: 'personal details of a patient are never accepted; only the coarse population facts (ageBand, contraindicationCodes) are',
  },
];

const WHY_BY_NAME = new Map(IDENTIFYING.flatMap(({ names, why }) => names.map((name) => [name, why] as const)));

const normalised = (member: string) => member.toLowerCase().replace(/[-_]/g, '');

/**
 * The issues with each refused member whose name suggests patient-identifying data explained:
 * same pointer and rule, a message saying why it is refused and what to send instead. The value is
 * never echoed (it may be a real identifier). Other issues pass unchanged.
 */
export function explainIdentifyingMembers(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    if (issue.rule !== 'additionalProperties') return issue;
    const member = issue.pointer.slice(issue.pointer.lastIndexOf('/') + 1);
    const why = WHY_BY_NAME.get(normalised(member));
    return why ? { ...issue, message: `is not an allowed property: ${why}` } : issue;
  });
}
