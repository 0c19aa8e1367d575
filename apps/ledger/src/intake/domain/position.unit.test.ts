import { placeBatch } from './position';

const offsets = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

describe('placing a batch against the stored position', () => {
  it('applies a batch that starts at the stored position', () => {
    // given the ledger has applied offsets 0..9, when offsets 10..19 arrive
    expect(placeBatch(10n, offsets(10, 19))).toEqual({ kind: 'fresh', fromIndex: 0 });
  });

  it('applies only the part of a redelivered batch above the stored position', () => {
    // given 0..14 applied, when 10..19 are redelivered, then 15.. are fresh
    expect(placeBatch(15n, offsets(10, 19))).toEqual({ kind: 'fresh', fromIndex: 5 });
  });

  it('applies nothing from a batch wholly below the stored position', () => {
    expect(placeBatch(20n, offsets(10, 19))).toEqual({ kind: 'applied' });
  });

  it('refuses a batch that starts beyond the stored position and asks to read from it again', () => {
    // given the database was restored to a point where offset 10 was next, when Kafka (whose
    // committed offset is later) delivers 25..30, then nothing is applied and 10 is read again
    expect(placeBatch(10n, offsets(25, 30))).toEqual({ kind: 'gap', seekTo: 10n, firstOffset: 25n });
  });

  it('reads a partition never stored from its first offset, and refuses one whose beginning is missing', () => {
    expect(placeBatch(0n, offsets(0, 3))).toEqual({ kind: 'fresh', fromIndex: 0 });
    expect(placeBatch(0n, offsets(4, 6))).toEqual({ kind: 'gap', seekTo: 0n, firstOffset: 4n });
  });

  it('refuses a gap even when the batch also holds applied offsets before it', () => {
    expect(placeBatch(12n, [10n, 11n, 14n, 15n])).toEqual({ kind: 'gap', seekTo: 12n, firstOffset: 14n });
  });
});
