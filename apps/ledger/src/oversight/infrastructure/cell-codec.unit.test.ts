import fc from 'fast-check';
import { bitsOf, decodeCounts, encodeCounts, indexesOf, orBytes } from './oversight.repository';

describe('the oversight cells as stored', () => {
  it('keeps bin counts through their little-endian encoding', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 })), (counts) =>
        expect(decodeCounts(encodeCounts(counts))).toEqual(counts),
      ),
    );
  });

  it('keeps the professionals of a bitmap, and ORs two bitmaps into their union', () => {
    const numbers = fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 60 });
    fc.assert(
      fc.property(numbers, numbers, (a, b) => {
        const sorted = (xs: number[]) => [...new Set(xs)].sort((x, y) => x - y);
        expect(indexesOf(bitsOf(a))).toEqual(sorted(a));
        expect(indexesOf(orBytes(bitsOf(a), bitsOf(b)))).toEqual(sorted([...a, ...b]));
      }),
    );
  });
});
