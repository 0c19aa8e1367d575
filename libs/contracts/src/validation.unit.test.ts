import { Type } from '@sinclair/typebox';
import { formatIssues, validateAgainst } from './validation';

const Person = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    address: Type.Object({ postcode: Type.String({ pattern: '^[A-Z0-9 ]+$' }) }, { additionalProperties: false }),
    tags: Type.Array(Type.String({ minLength: 1 })),
    use: Type.Optional(Type.Union([Type.Literal('mandatory'), Type.Literal('advisory')])),
  },
  { additionalProperties: false },
);
const valid = { name: 'Ward 7a', address: { postcode: 'SE1 7EH' }, tags: ['acute'] };

describe('validateAgainst', () => {
  it('given a valid document, when validated, then there are no issues', () => {
    expect(validateAgainst(Person, valid)).toEqual([]);
  });

  it('given a missing property, when validated, then the pointer names the property itself, not its parent', () => {
    const { name: _name, ...withoutName } = valid;
    expect(validateAgainst(Person, withoutName)).toEqual([{ pointer: '/name', rule: 'required', message: 'is required' }]);
  });

  it('given an additional property, when validated, then the pointer names that property', () => {
    expect(validateAgainst(Person, { ...valid, nhsNumber: '9434765919' })).toEqual([
      { pointer: '/nhsNumber', rule: 'additionalProperties', message: 'is not an allowed property' },
    ]);
  });

  it('given problems in a nested object and an array item, when validated, then the pointers reach them', () => {
    const issues = validateAgainst(Person, { ...valid, address: { postcode: 'se1', extra: 1 }, tags: ['acute', ''] });
    expect(issues.map((i) => [i.pointer, i.rule])).toEqual(
      expect.arrayContaining([
        ['/address/extra', 'additionalProperties'],
        ['/address/postcode', 'pattern'],
        ['/tags/1', 'minLength'],
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('given a prefix, when validated, then every pointer starts with it', () => {
    const { name: _name, ...withoutName } = valid;
    expect(
      validateAgainst(Person, { ...withoutName, extra: true }, '/data')
        .map((i) => i.pointer)
        .sort(),
    ).toEqual(['/data/extra', '/data/name']);
  });

  it('given a value outside a union of literals, when validated, then one anyOf issue stands for all the branches', () => {
    expect(validateAgainst(Person, { ...valid, use: 'sometimes' })).toEqual([expect.objectContaining({ pointer: '/use', rule: 'anyOf' })]);
  });

  it('given the document itself is of the wrong type, when validated, then the pointer is empty', () => {
    expect(validateAgainst(Person, 'not an object')).toEqual([expect.objectContaining({ pointer: '', rule: 'type' })]);
  });
});

describe('formatIssues', () => {
  it('given issues, when formatted, then each reads pointer, message and rule, with / for the document itself', () => {
    expect(
      formatIssues([
        { pointer: '/name', rule: 'required', message: 'is required' },
        { pointer: '', rule: 'type', message: 'must be object' },
      ]),
    ).toBe('/name is required (required); / must be object (type)');
  });
});
