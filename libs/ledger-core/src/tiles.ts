import { HASH_SIZE, nodeHash } from './hashing';
import { nodeKey, perfectDecomposition, ProofError, rootFromNodes, type NodeId } from './merkle';

// C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the tree served as static "tiles" of up to 256
// consecutive hashes at tree heights 0, 8, 16, …, and the entries as length-prefixed bundles. Pure
// path and layout maths: storage fills the tiles, clients rebuild roots and proofs from them.

/** Hashes in a full tile (and entries in a full bundle). */
export const TILE_WIDTH = 256;
/** Tree height covered by one tile level: a tile is a perfect subtree of height 8 over its hashes. */
export const TILE_HEIGHT = 8;
/** The largest entry an entry bundle can frame (big-endian uint16 length prefix). */
export const MAX_BUNDLED_ENTRY_BYTES = 0xffff;

/**
 * A tile resource: `hashes` at tile `level` (tree height `8 * level`), or the entry bundle, with
 * index `index` and `width` 1..256 (256 is a full tile, anything less a partial one).
 */
export type TileRef =
  | { readonly kind: 'hashes'; readonly level: number; readonly index: number; readonly width: number }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

/** Why a path names no tile: `TILE.BAD_PATH` with the reason. */
export class TilePathError extends Error {
  override readonly name = 'TilePathError';
  readonly code = 'TILE.BAD_PATH';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} is not a tile path: ${reason}`);
  }
}

/** `<N>` as the spec writes it: zero-padded 3-digit elements, all but the last prefixed `x` (1234067 → `x001/x234/067`). */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`tile index must be a non-negative safe integer, got ${index}`);
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The path of a tile below the log's prefix, e.g. `tile/0/x001/234.p/17` or `tile/entries/005`. */
export function tilePath(tile: TileRef): string {
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  const level = tile.kind === 'entries' ? 'entries' : String(tile.level);
  return `tile/${level}/${encodeTileIndex(tile.index)}${partial}`;
}

const LEVEL = /^(0|[1-9][0-9]?)$/;
const GROUP = /^[0-9]{3}$/;
const WIDTH = /^([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-5])$/;

/**
 * Parses a path below the log's prefix (`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`),
 * strictly: level 0-63 without leading zeros, index groups of three digits with `x` on all but the
 * last and no redundant leading group, width 1-255. Throws TilePathError naming what is wrong.
 */
export function parseTilePath(path: string): TileRef {
  const bad = (reason: string) => new TilePathError(path, reason);
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) throw bad('expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]');
  const [, levelPart, ...indexParts] = parts as [string, string, ...string[]];
  let width = TILE_WIDTH;
  const lastIndex = indexParts.length - 1;
  if (indexParts.length >= 2 && indexParts[lastIndex - 1]!.endsWith('.p')) {
    const w = indexParts[lastIndex]!;
    if (!WIDTH.test(w)) throw bad(`partial width ${JSON.stringify(w)} is not 1-255 without leading zeros`);
    width = Number(w);
    indexParts.splice(lastIndex - 1, 2, indexParts[lastIndex - 1]!.slice(0, -2));
  }
  let index = 0;
  indexParts.forEach((group, i) => {
    const last = i === indexParts.length - 1;
    const digits = last ? group : group.startsWith('x') ? group.slice(1) : null;
    if (digits === null || !GROUP.test(digits))
      throw bad(`index element ${JSON.stringify(group)} must be ${last ? '' : 'x + '}three digits`);
    index = index * 1000 + Number(digits);
  });
  if (!Number.isSafeInteger(index)) throw bad('index is too large');
  if (indexParts.length > 1 && indexParts[0] === 'x000') throw bad('index has a redundant leading x000 element');
  if (levelPart === 'entries') return { kind: 'entries', index, width };
  if (!LEVEL.test(levelPart) || Number(levelPart) > 63) throw bad(`level ${JSON.stringify(levelPart)} is not 0-63 without leading zeros`);
  return { kind: 'hashes', level: Number(levelPart), index, width };
}

/** The stored tree nodes a hash tile holds, in order: height `8 * level`, indices `index * 256 …` for `width`. */
export function tileNodes(tile: { readonly level: number; readonly index: number; readonly width: number }): NodeId[] {
  const first = tile.index * TILE_WIDTH;
  return Array.from({ length: tile.width }, (_, i) => ({ level: tile.level * TILE_HEIGHT, index: first + i }));
}

/** Width of the rightmost (partial) tile at `level` for a tree of `size`: `floor(size / 256^level) mod 256` (0: none). */
export function partialTileWidth(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}

/**
 * Every hash tile a client needs for a tree of `size`: at each level, the full tiles and the
 * partial one (if any). E.g. 70,000 → level 0: 273 full + width 112; level 1: 1 full + width 17;
 * level 2: width 1.
 */
export function tilesForSize(size: number): Array<Extract<TileRef, { kind: 'hashes' }>> {
  const tiles: Array<Extract<TileRef, { kind: 'hashes' }>> = [];
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const hashesAtLevel = Math.floor(size / TILE_WIDTH ** level);
    const full = Math.floor(hashesAtLevel / TILE_WIDTH);
    for (let index = 0; index < full; index++) tiles.push({ kind: 'hashes', level, index, width: TILE_WIDTH });
    const width = partialTileWidth(size, level);
    if (width > 0) tiles.push({ kind: 'hashes', level, index: full, width });
  }
  return tiles;
}

/**
 * The root of the tree of `size` rebuilt from its tiles only (`hashesOf(level, index)` returns the
 * tile's hashes, full or as wide as `size` needs): the way a tlog-tiles client checks that tiles
 * match a checkpoint. Throws ProofError PROOF.MISSING_NODE when a tile is too short.
 */
export function rootFromTiles(size: number, hashesOf: (level: number, index: number) => readonly Buffer[]): Buffer {
  const nodes = new Map<string, Buffer>();
  for (const id of perfectDecomposition(0, size)) nodes.set(nodeKey(id), nodeFromTiles(id, hashesOf));
  return rootFromNodes(size, nodes);
}

/** A perfect node from the tile below it: 2^(height mod 8) consecutive tile hashes, hashed pairwise. */
function nodeFromTiles(id: NodeId, hashesOf: (level: number, index: number) => readonly Buffer[]): Buffer {
  const level = Math.floor(id.level / TILE_HEIGHT);
  const span = 2 ** (id.level % TILE_HEIGHT);
  const first = id.index * span;
  const tile = hashesOf(level, Math.floor(first / TILE_WIDTH));
  const start = first % TILE_WIDTH;
  let row = tile.slice(start, start + span);
  if (row.length < span || row.some((h) => h.length !== HASH_SIZE)) {
    throw new ProofError('PROOF.MISSING_NODE', `tile ${level}/${Math.floor(first / TILE_WIDTH)} lacks hashes for node ${nodeKey(id)}`, {
      key: nodeKey(id),
      level,
      have: tile.length,
    });
  }
  while (row.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i]!, row[i + 1]!));
    row = next;
  }
  return row[0]!;
}

/**
 * An entry bundle: each entry as a big-endian uint16 length and its bytes. Throws RangeError for
 * an entry longer than MAX_BUNDLED_ENTRY_BYTES, naming its position.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, i) => {
    if (entry.length > MAX_BUNDLED_ENTRY_BYTES)
      throw new RangeError(`entry ${i} of the bundle is ${entry.length} bytes; a bundle frames at most ${MAX_BUNDLED_ENTRY_BYTES}`);
    const length = Buffer.allocUnsafe(2);
    length.writeUInt16BE(entry.length, 0);
    parts.push(length, Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength));
  });
  return Buffer.concat(parts);
}

/** The entries of a bundle; throws RangeError if the bytes are not a whole sequence of framed entries. */
export function decodeEntryBundle(bundle: Uint8Array): Buffer[] {
  const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const entries: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new RangeError(`bundle ends inside the length of entry ${entries.length}`);
    const length = bytes.readUInt16BE(at);
    if (at + 2 + length > bytes.length) throw new RangeError(`bundle ends inside entry ${entries.length}`);
    entries.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return entries;
}
