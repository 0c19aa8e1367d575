import { thrownBy } from './thrown-by';

class Refusal extends Error {}

describe('thrownBy', () => {
  it('returns the error of the type thrown, fails when nothing is thrown, and rethrows an error of another type', () => {
    const refusal = new Refusal('no');
    expect(
      thrownBy(Refusal, () => {
        throw refusal;
      }),
    ).toBe(refusal);
    expect(() => thrownBy(Refusal, () => undefined)).toThrow('expected a Refusal, but nothing was thrown');
    expect(() =>
      thrownBy(Refusal, () => {
        throw new RangeError('bug');
      }),
    ).toThrow(RangeError);
  });
});
