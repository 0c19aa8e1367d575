import { Digest, isStorableText, OrganisationId, Pseudonym, SemVer, STORABLE_TEXT_PATTERN, Text } from './common.schema';
import { validateAgainst } from './validation';

describe('Pseudonym', () => {
  it.each(['psn_k2Jd8sL0qPzX', 'psn_nurse0000001', 'psn_2024_01_15-0930', `psn_${'a'.repeat(128)}`])(
    'given %s, when validated, then it is accepted',
    (value) => {
      expect(validateAgainst(Pseudonym, value)).toEqual([]);
    },
  );

  it.each([
    ['a raw 10-digit NHS-number-like string', '9434765919'],
    ['an NHS number with spaces', '943 476 5919'],
    ['a name', 'Jane Smith'],
    ['a name without spaces', 'JaneSmith'],
    ['an email address', 'jane.smith@nhs.net'],
    ['the prefix with too few characters', 'psn_abc1234'],
    ['the prefix with too many characters', `psn_${'a'.repeat(129)}`],
    ['the prefix followed by a name with a space', 'psn_Jane Smith'],
    ['an upper-case prefix', 'PSN_k2Jd8sL0qPzX'],
    ['the prefix alone', 'psn_'],
  ])('given %s (%s), when validated, then it is refused by the pattern', (_what, value) => {
    expect(validateAgainst(Pseudonym, value)).toEqual([expect.objectContaining({ pointer: '', rule: 'pattern' })]);
  });
});

describe('other shared building blocks', () => {
  it.each([
    [Digest, `sha256:${'a'.repeat(64)}`, true],
    [Digest, `sha256:${'A'.repeat(64)}`, false],
    [Digest, `sha1:${'a'.repeat(40)}`, false],
    [OrganisationId, 'st-swithins', true],
    [OrganisationId, 'St Swithins', false],
    [SemVer, '2.1.0', true],
    [SemVer, '2.1.0-rc.1+build.5', true],
    [SemVer, '02.1.0', false],
    [SemVer, '2.1', false],
  ] as const)('given %#: %s, when validated, then accepted is %s', (schema, value, accepted) => {
    expect(validateAgainst(schema, value).length === 0).toBe(accepted);
  });
});

describe('Text (free text the database can store)', () => {
  const Summary = Text(50);

  it.each(['sepsis risk: high', 'é ü ß', 'emoji 🚑 (a surrogate pair)', 'tab\tand newline\n', '\u{10FFFF}'])(
    'given %j, when validated, then it is accepted',
    (value) => {
      expect(validateAgainst(Summary, value)).toEqual([]);
      expect(isStorableText(value)).toBe(true);
    },
  );

  it.each([
    ['U+0000', 'a\u0000b'],
    ['a lone high surrogate', 'risk \ud800'],
    ['a lone low surrogate', '\udc00 risk'],
    ['a low surrogate before a high one', '\udc00\ud800'],
  ])('given %s, when validated, then it is refused by the pattern', (_what, value) => {
    expect(validateAgainst(Summary, value)).toEqual([expect.objectContaining({ pointer: '', rule: 'pattern' })]);
    expect(isStorableText(value)).toBe(false);
  });

  it('writes the pattern with escapes, so the published JSON Schema carries no raw NUL or surrogate', () => {
    expect(Summary.pattern).toBe(STORABLE_TEXT_PATTERN);
    expect(JSON.stringify(Summary)).toContain('\\\\u0000');
    expect(isStorableText(JSON.stringify(Summary))).toBe(true);
  });
});
