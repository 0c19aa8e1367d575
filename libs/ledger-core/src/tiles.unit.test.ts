import fc from 'fast-check';
import { leafHash } from './hashing';
import { rootFromLeaves } from './merkle';
import {
  decodeEntryBundle,
  encodeEntryBundle,
  encodeTileIndex,
  parseTilePath,
  partialTileWidth,
  rootFromTiles,
  tileNodes,
  tilePath,
  tilesForSize,
  TilePathError,
  type TileRef,
} from './tiles';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

/** Tiles built the slow, obvious way: level L hashes are MTHs of 256^L consecutive leaves. */
function referenceTiles(all: readonly Buffer[]) {
  const levels: Buffer[][] = [all.slice()];
  while (levels[levels.length - 1]!.length >= 256) {
    const below = levels[levels.length - 1]!;
    const above: Buffer[] = [];
    for (let i = 0; i + 256 <= below.length; i += 256) above.push(rootFromLeaves(below.slice(i, i + 256)));
    levels.push(above);
  }
  return (level: number, index: number) => (levels[level] ?? []).slice(index * 256, index * 256 + 256);
}

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes the index as the spec does: 1234067 → x001/x234/067', () => {
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
    expect(encodeTileIndex(0)).toBe('000');
    expect(encodeTileIndex(5)).toBe('005');
    expect(encodeTileIndex(1000)).toBe('x001/000');
  });

  it('writes full and partial tiles and entry bundles', () => {
    expect(tilePath({ kind: 'hashes', level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ kind: 'hashes', level: 1, index: 0, width: 17 })).toBe('tile/1/000.p/17');
    expect(tilePath({ kind: 'entries', index: 273, width: 112 })).toBe('tile/entries/273.p/112');
  });

  it('parses what it writes, for any tile', () => {
    const tile: fc.Arbitrary<TileRef> = fc.oneof(
      fc.record({
        kind: fc.constant('hashes' as const),
        level: fc.integer({ min: 0, max: 63 }),
        index: fc.nat(),
        width: fc.integer({ min: 1, max: 256 }),
      }),
      fc.record({ kind: fc.constant('entries' as const), index: fc.nat(), width: fc.integer({ min: 1, max: 256 }) }),
    );
    fc.assert(fc.property(tile, (t) => expect(parseTilePath(tilePath(t))).toEqual(t)));
  });

  it.each([
    ['tile/0/1234', 'index element'],
    ['tile/0/x001/2345', 'index element'],
    ['tile/0/001/234', 'index element'],
    ['tile/0/x000/005', 'redundant'],
    ['tile/01/000', 'level'],
    ['tile/64/000', 'level'],
    ['tile/0/000.p/0', 'partial width'],
    ['tile/0/000.p/256', 'partial width'],
    ['tile/0/000.p/017', 'partial width'],
    ['tile/0', 'expected tile'],
    ['tiles/0/000', 'expected tile'],
    ['tile/0/00a', 'index element'],
  ])('refuses %s, saying what is wrong', (path, reason) => {
    expect(() => parseTilePath(path)).toThrow(TilePathError);
    expect(() => parseTilePath(path)).toThrow(reason);
  });
});

describe('tile layout', () => {
  it('a tree of 70,000 needs 273 full level-0 tiles and one of width 112, one full level-1 tile and one of width 17, and a level-2 tile of width 1 (the spec’s example)', () => {
    const tiles = tilesForSize(70000);
    const at = (level: number) => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).filter((t) => t.width < 256)).toEqual([{ kind: 'hashes', level: 0, index: 273, width: 112 }]);
    expect(at(1)).toEqual([
      { kind: 'hashes', level: 1, index: 0, width: 256 },
      { kind: 'hashes', level: 1, index: 1, width: 17 },
    ]);
    expect(at(2)).toEqual([{ kind: 'hashes', level: 2, index: 0, width: 1 }]);
    expect(tiles).toHaveLength(273 + 1 + 2 + 1);
    expect([0, 1, 2, 3].map((level) => partialTileWidth(70000, level))).toEqual([112, 17, 1, 0]);
  });

  it('a tree of 256 is one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tilesForSize(256)).toEqual([
      { kind: 'hashes', level: 0, index: 0, width: 256 },
      { kind: 'hashes', level: 1, index: 0, width: 1 },
    ]);
    expect(tilesForSize(0)).toEqual([]);
  });

  it('names the stored nodes a tile holds: height 8 × level, 256 × index onwards', () => {
    expect(tileNodes({ level: 1, index: 2, width: 3 })).toEqual([
      { level: 8, index: 512 },
      { level: 8, index: 513 },
      { level: 8, index: 514 },
    ]);
  });

  it('rebuilds the root of any tree from its tiles alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1400 }), (size) => {
        const all = leaves(size);
        expect(rootFromTiles(size, referenceTiles(all)).equals(rootFromLeaves(all))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('rebuilds the root of a three-level tree (70,000 leaves)', () => {
    const all = leaves(70000);
    expect(rootFromTiles(70000, referenceTiles(all)).equals(rootFromLeaves(all))).toBe(true);
  });

  it('refuses to rebuild from a tile that is too short', () => {
    const all = leaves(300);
    const tiles = referenceTiles(all);
    expect(() =>
      rootFromTiles(300, (level, index) => (level === 0 && index === 1 ? tiles(0, 1).slice(0, 10) : tiles(level, index))),
    ).toThrow(/lacks hashes/);
  });
});

describe('entry bundles', () => {
  it('frames each entry with a big-endian uint16 length, and reads back exactly the entries', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (entries) => {
        const bundle = encodeEntryBundle(entries);
        expect(bundle.length).toBe(entries.reduce((n, e) => n + 2 + e.length, 0));
        expect(decodeEntryBundle(bundle).map((e) => Buffer.from(e).toString('hex'))).toEqual(
          entries.map((e) => Buffer.from(e).toString('hex')),
        );
      }),
    );
    expect(encodeEntryBundle([Buffer.from('ab')]).toString('hex')).toBe('00026162');
  });

  it('refuses an entry that a uint16 cannot frame, and a truncated bundle', () => {
    expect(() => encodeEntryBundle([Buffer.alloc(1), Buffer.alloc(65536)])).toThrow(/entry 1 of the bundle is 65536 bytes/);
    expect(encodeEntryBundle([Buffer.alloc(65535)])).toHaveLength(65537);
    expect(() => decodeEntryBundle(Buffer.from('0005616263', 'hex'))).toThrow(/ends inside entry 0/);
    expect(() => decodeEntryBundle(Buffer.from('00', 'hex'))).toThrow(/inside the length/);
  });
});
