import { DomainError, looksLikeNhsNumber } from '@aal/domain';
import { assertPseudonymous } from './pseudonym.rule';

describe('pseudonym rule', () => {
  it.each(['psn_9434765919', 'psn_patient9434765919', 'psn_a94347659190b', '9434765919'])(
    'flags %s as holding an NHS-number-like run',
    (value) => {
      expect(looksLikeNhsNumber(value)).toBe(true);
    },
  );

  it.each(['psn_943476591', 'psn_943-476-5919x', 'psn_k2Jd8sL0qPzX', 'psn_2024_01_15_0930'])(
    'accepts %s (no run of 10 digits)',
    (value) => {
      expect(looksLikeNhsNumber(value)).toBe(false);
    },
  );

  it('passes when every named field is a pseudonym, skipping absent ones', () => {
    expect(() => assertPseudonymous({ '/subjectRef': 'psn_k2Jd8sL0qPzX', '/caseRef': undefined })).not.toThrow();
  });

  it('refuses every offending field at once, by pointer, without echoing the values', () => {
    let refusal: unknown;
    try {
      assertPseudonymous({
        '/instructor/personId': 'psn_4010232137',
        '/professionalId': 'psn_k2Jd8sL0qPzX',
        '/subjectRef': 'psn_9434765919',
      });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    const error = refusal as DomainError;
    expect(error).toMatchObject({ code: 'USAGE.IDENTIFIER_IN_PSEUDONYM', kind: 'invalid' });
    expect((error.context['errors'] as Array<{ pointer: string }>).map((e) => e.pointer)).toEqual(['/instructor/personId', '/subjectRef']);
    const everything = JSON.stringify({ message: error.message, context: error.context });
    expect(everything).not.toContain('4010232137');
    expect(everything).not.toContain('9434765919');
  });
});
