import { HASH_SIZE, nodeHash, sha256 } from './hashing';

// RFC 9162 §2.1 Merkle tree maths over leaf hashes. Nothing here reads or writes storage: the
// functions name the perfect nodes they need (`nodesFor*`) and assemble results from a map the
// caller fills (`build*`, `rootFromNodes`), so every storage driver shares this one verified core.
//
// Sizes and indices are JavaScript numbers and MUST be non-negative safe integers (< 2^53). All
// arithmetic uses division rather than bitwise operators, which would truncate to 32 bits.

/**
 * A perfect node: the hash of the perfect subtree covering leaves
 * `[index * 2^level, (index + 1) * 2^level)`. Level 0 nodes are the leaf hashes. A perfect node
 * never changes once its last leaf is appended, which is why storage keeps exactly these.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** The storage key of a node: `${level}/${index}`, e.g. `0/17` for leaf 17. Injective. */
export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}

/**
 * A Merkle verification or proof-assembly failure. `code` is stable; `evidence` holds everything
 * needed to reproduce the check (sizes, hex hashes, the proof), so it can be logged or returned.
 *
 * - `PROOF.INCLUSION_MISMATCH`: the inclusion proof is well formed but does not lead to the root.
 * - `PROOF.CONSISTENCY_MISMATCH`: the consistency proof is well formed but does not reproduce
 *   both roots.
 * - `PROOF.BAD_SHAPE`: arguments or proof cannot be right whatever the hashes: index ≥ size,
 *   from > to, a hash that is not 32 bytes, the wrong number of proof elements, a resume state
 *   whose nodes do not match its size.
 * - `PROOF.OUT_OF_RANGE`: a proof or root was requested for positions outside the tree.
 * - `PROOF.MISSING_NODE`: a `build*` function was given a node map without a node it needs;
 *   `evidence.key` names it.
 */
export class ProofError extends Error {
  override readonly name = 'ProofError';

  constructor(
    readonly code:
      | 'PROOF.INCLUSION_MISMATCH'
      | 'PROOF.CONSISTENCY_MISMATCH'
      | 'PROOF.BAD_SHAPE'
      | 'PROOF.OUT_OF_RANGE'
      | 'PROOF.MISSING_NODE',
    message: string,
    readonly evidence: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The largest power of two strictly less than `n` (RFC 9162 §2.1.1's `k`), for `n` ≥ 2.
 * Throws `RangeError` otherwise. Example: 2→1, 3→2, 4→2, 5→4, 8→4, 9→8.
 */
export function largestPowerOfTwoLessThan(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`largestPowerOfTwoLessThan needs an integer n ≥ 2, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees, left to right, whose RFC 9162 combination is the hash of leaves
 * `[start, end)`: one node per set bit of `end - start`, largest first. The combination folds
 * from the right: `h = last; for each earlier node n: h = nodeHash(n, h)`, which is exactly how
 * MTH treats a range that appears in the MTH/PATH/PROOF recursions.
 *
 * MUST: `0 ≤ start ≤ end`, and `start` a multiple of each node's width (true for every range in
 * those recursions, e.g. `[0, size)`); otherwise `RangeError`. `[start, start)` gives `[]`.
 */
export function perfectDecomposition(start: number, end: number): NodeId[] {
  assertCount(start, 'start');
  assertCount(end, 'end');
  if (end < start) throw new RangeError(`perfectDecomposition: end ${end} < start ${start}`);
  const nodes: NodeId[] = [];
  let remaining = end - start;
  let position = start;
  for (let level = bitLength(remaining) - 1; level >= 0; level--) {
    const width = 2 ** level;
    if (remaining < width) continue;
    if (position % width !== 0) {
      throw new RangeError(`perfectDecomposition: [${start}, ${end}) is not a subtree range (${position} is not a multiple of ${width})`);
    }
    nodes.push({ level, index: position / width });
    position += width;
    remaining -= width;
  }
  return nodes;
}

/**
 * The perfect nodes `rootFromNodes(size, …)` reads: `perfectDecomposition(0, size)`. MUST:
 * `size` is a non-negative safe integer; otherwise `ProofError` `PROOF.OUT_OF_RANGE`.
 */
export function nodesForRoot(size: number): NodeId[] {
  assertSize(size);
  return perfectDecomposition(0, size);
}

/**
 * The RFC 9162 root (MTH) of the first `size` leaves, from the nodes named by
 * `nodesForRoot(size)`. Size 0 gives SHA-256 of the empty string. Throws `ProofError`
 * `PROOF.MISSING_NODE` when a needed node is absent.
 */
export function rootFromNodes(size: number, nodes: ReadonlyMap<string, Buffer>): Buffer {
  assertSize(size);
  return size === 0 ? EMPTY_ROOT() : combineRange(0, size, nodes);
}

/**
 * The perfect nodes `buildInclusionProof(index, size, …)` reads, in the order it reads them.
 * MUST: `0 ≤ index < size`; otherwise `ProofError` `PROOF.OUT_OF_RANGE`.
 */
export function nodesForInclusionProof(index: number, size: number): NodeId[] {
  return inclusionRanges(index, size).flatMap(([start, end]) => perfectDecomposition(start, end));
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[0:size]), ordered from the leaf's sibling
 * up to the child of the root, assembled from the nodes named by `nodesForInclusionProof`.
 * Each element is 32 bytes. Throws `PROOF.OUT_OF_RANGE` / `PROOF.MISSING_NODE`.
 */
export function buildInclusionProof(index: number, size: number, nodes: ReadonlyMap<string, Buffer>): Buffer[] {
  return inclusionRanges(index, size).map(([start, end]) => combineRange(start, end, nodes));
}

/**
 * The perfect nodes `buildConsistencyProof(from, to, …)` reads, in the order it reads them.
 * MUST: `0 ≤ from ≤ to`; otherwise `PROOF.OUT_OF_RANGE`. `from = 0` or `from = to` needs none.
 */
export function nodesForConsistencyProof(from: number, to: number): NodeId[] {
  return consistencyRanges(from, to).flatMap(([start, end]) => perfectDecomposition(start, end));
}

/**
 * The RFC 9162 §2.1.4.1 consistency proof PROOF(from, D[0:to]), assembled from the nodes named by
 * `nodesForConsistencyProof`. Empty when `from = 0` or `from = to`. Throws `PROOF.OUT_OF_RANGE` /
 * `PROOF.MISSING_NODE`.
 */
export function buildConsistencyProof(from: number, to: number, nodes: ReadonlyMap<string, Buffer>): Buffer[] {
  return consistencyRanges(from, to).map(([start, end]) => combineRange(start, end, nodes));
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`, with
 * the RFC 9162 §2.1.3.2 algorithm. Returns normally on success; otherwise throws `ProofError`:
 * `PROOF.BAD_SHAPE` (index ≥ size, a hash not 32 bytes, or a proof of the wrong length for
 * (index, size)) or `PROOF.INCLUSION_MISMATCH` (the proof leads to another root), with the
 * inputs and the computed root as evidence.
 *
 * The proof commits to the leaf's position but not, by itself, to `size`: two sizes whose paths
 * have the same shape (e.g. index 0 in sizes 5 and 6) accept the same proof. `root` MUST
 * therefore come from a checkpoint that authenticates `size` together with it.
 */
export function verifyInclusion(leafHash: Buffer, index: number, size: number, proof: readonly Buffer[], root: Buffer): void {
  const evidence = () => ({ index, size, leafHash: hex(leafHash), root: hex(root), proof: proof.map(hex) });
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new ProofError('PROOF.BAD_SHAPE', `Leaf index ${index} is not inside a tree of size ${size}`, evidence());
  }
  assertHashes(leafHash, root, proof, evidence);
  const computed = climbInclusionProof(leafHash, index, size, proof, evidence);
  if (computed === null || !computed.equals(root)) {
    const computedRoot = computed === null ? null : hex(computed);
    throw new ProofError(
      'PROOF.INCLUSION_MISMATCH',
      `Inclusion proof for leaf ${index} in a tree of size ${size} leads to root ${computedRoot}, not ${hex(root)}`,
      { ...evidence(), computedRoot },
    );
  }
}

/**
 * The root that `proof` leads to from leaf `index` of a tree of `size` leaves (the RFC 9162
 * §2.1.3.2 walk, without a root to compare with): for callers that authenticate the root some
 * other way, such as a signature over it. Throws `ProofError` `PROOF.BAD_SHAPE` as
 * `verifyInclusion` does, and when the walk does not end at the root.
 */
export function rootFromInclusionProof(leafHash: Buffer, index: number, size: number, proof: readonly Buffer[]): Buffer {
  const evidence = () => ({ index, size, leafHash: hex(leafHash), proof: proof.map(hex) });
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new ProofError('PROOF.BAD_SHAPE', `Leaf index ${index} is not inside a tree of size ${size}`, evidence());
  }
  assertHashes(leafHash, leafHash, proof, evidence);
  const computed = climbInclusionProof(leafHash, index, size, proof, evidence);
  if (computed === null)
    throw new ProofError('PROOF.BAD_SHAPE', `The inclusion proof for leaf ${index} does not end at a root of size ${size}`, evidence());
  return computed;
}

/**
 * Checks that the tree of `to` leaves with root `toRoot` extends the tree of `from` leaves with
 * root `fromRoot`, with the RFC 9162 §2.1.4.2 algorithm. Returns normally on success; otherwise
 * throws `ProofError`: `PROOF.BAD_SHAPE` (from > to, a hash not 32 bytes, a proof of the wrong
 * length) or `PROOF.CONSISTENCY_MISMATCH` (the proof does not reproduce both roots), with both
 * sizes, both roots, the proof and the computed roots as evidence.
 *
 * Degenerate cases: `from = to` needs an empty proof and equal roots; `from = 0` needs an empty
 * proof and `fromRoot` equal to the empty-tree root SHA-256("") (the only root a size-0 tree
 * has), and says nothing about `toRoot`.
 */
export function verifyConsistency(from: number, to: number, fromRoot: Buffer, toRoot: Buffer, proof: readonly Buffer[]): void {
  const evidence = () => ({ from, to, fromRoot: hex(fromRoot), toRoot: hex(toRoot), proof: proof.map(hex) });
  if (!isCount(from) || !isCount(to) || from > to) {
    throw new ProofError('PROOF.BAD_SHAPE', `A tree of size ${to} cannot extend a tree of size ${from}`, evidence());
  }
  assertHashes(fromRoot, toRoot, proof, evidence);
  const expectedLength = consistencyRanges(from, to).length;
  if (proof.length !== expectedLength) {
    throw new ProofError(
      'PROOF.BAD_SHAPE',
      `A consistency proof from size ${from} to size ${to} has ${expectedLength} hashes, not ${proof.length}`,
      { ...evidence(), expectedLength },
    );
  }
  const mismatch = (computed: Record<string, string>) =>
    new ProofError('PROOF.CONSISTENCY_MISMATCH', `Consistency proof from size ${from} to size ${to} does not reproduce both roots`, {
      ...evidence(),
      ...computed,
    });
  if (from === 0) {
    if (!fromRoot.equals(EMPTY_ROOT())) throw mismatch({ computedFromRoot: hex(EMPTY_ROOT()) });
    return;
  }
  if (from === to) {
    if (!fromRoot.equals(toRoot)) throw mismatch({ computedFromRoot: hex(toRoot), computedToRoot: hex(fromRoot) });
    return;
  }
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw mismatch({ computedFromRoot: hex(fr), computedToRoot: hex(sr) });
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !fr.equals(fromRoot) || !sr.equals(toRoot)) {
    throw mismatch({ computedFromRoot: hex(fr), computedToRoot: hex(sr) });
  }
}

/** One perfect node with its hash, as `MerkleAccumulator` reports and resumes from. */
interface HashedNode {
  id: NodeId;
  hash: Buffer;
}

/**
 * An incremental RFC 9162 tree for appenders and verifiers. It keeps only the right edge —
 * the perfect nodes `perfectDecomposition(0, size)` — so memory is O(log size) and `append` is
 * O(1) amortised (one leaf plus, on average, one interior hash).
 *
 * Invariant: after any sequence of appends, `root()` equals `rootFromLeaves(all leaf hashes)`,
 * and `new MerkleAccumulator({ size, rightEdge: rightEdge() })` continues identically.
 */
export class MerkleAccumulator {
  private readonly edge: HashedNode[];
  private leaves: number;

  /**
   * Starts empty, or resumes from `start`: `rightEdge` MUST be `perfectDecomposition(0, size)`
   * in that order, each with its 32-byte hash (as `rightEdge()` returns), else `ProofError`
   * `PROOF.BAD_SHAPE`. The hashes are trusted: resume only from state you computed or verified.
   */
  constructor(start?: { size: number; rightEdge: Array<{ id: NodeId; hash: Buffer }> }) {
    if (!start) {
      this.edge = [];
      this.leaves = 0;
      return;
    }
    const { size, rightEdge } = start;
    const evidence = () => ({ size, rightEdge: rightEdge.map((n) => ({ key: nodeKey(n.id), hash: hex(n.hash) })) });
    if (!isCount(size)) throw new ProofError('PROOF.BAD_SHAPE', `Accumulator size ${size} is not a count`, evidence());
    const expected = perfectDecomposition(0, size);
    const matches =
      expected.length === rightEdge.length &&
      expected.every((id, i) => {
        const node = rightEdge[i]!;
        return node.id.level === id.level && node.id.index === id.index && node.hash.length === HASH_SIZE;
      });
    if (!matches) {
      throw new ProofError(
        'PROOF.BAD_SHAPE',
        `A right edge for size ${size} is the 32-byte nodes ${expected.map(nodeKey).join(', ') || '(none)'}`,
        { ...evidence(), expected: expected.map(nodeKey) },
      );
    }
    this.edge = rightEdge.map((n) => ({ id: { level: n.id.level, index: n.id.index }, hash: Buffer.from(n.hash) }));
    this.leaves = size;
  }

  /**
   * Appends one 32-byte leaf hash (`PROOF.BAD_SHAPE` otherwise) and returns every perfect node
   * this leaf completed, lowest first: the leaf itself at level 0, then each interior node it
   * closed. Storage that saves these keeps every perfect node of the tree.
   */
  append(leafHash: Buffer): Array<{ id: NodeId; hash: Buffer }> {
    if (leafHash.length !== HASH_SIZE) {
      throw new ProofError('PROOF.BAD_SHAPE', `A leaf hash is ${HASH_SIZE} bytes, not ${leafHash.length}`, {
        index: this.leaves,
        leafHash: hex(leafHash),
      });
    }
    // Returned hashes are never the ones kept on the edge, so callers may keep or mutate them.
    let level = 0;
    let index = this.leaves;
    let hash = leafHash;
    const completed: HashedNode[] = [{ id: { level, index }, hash: Buffer.from(leafHash) }];
    let last = this.edge[this.edge.length - 1];
    while (last !== undefined && last.id.level === level) {
      this.edge.pop();
      hash = nodeHash(last.hash, hash);
      level += 1;
      index = last.id.index / 2;
      completed.push({ id: { level, index }, hash });
      last = this.edge[this.edge.length - 1];
    }
    this.edge.push({ id: { level, index }, hash: Buffer.from(hash) });
    this.leaves += 1;
    return completed;
  }

  /** The RFC 9162 root of the leaves appended so far; SHA-256("") when there are none. */
  root(): Buffer {
    if (this.edge.length === 0) return EMPTY_ROOT();
    let hash = this.edge[this.edge.length - 1]!.hash;
    for (let i = this.edge.length - 2; i >= 0; i--) hash = nodeHash(this.edge[i]!.hash, hash);
    return Buffer.from(hash);
  }

  /** The number of leaves appended (including those before the resume point). */
  get size(): number {
    return this.leaves;
  }

  /** The right edge (`perfectDecomposition(0, size)` with hashes), copied, to resume later. */
  rightEdge(): Array<{ id: NodeId; hash: Buffer }> {
    return this.edge.map(copyNode);
  }
}

/**
 * Reference MTH (RFC 9162 §2.1.1) by direct recursion, for tests and small trees. `leaves` are
 * leaf HASHES (`leafHash(data)`), not leaf data; each MUST be 32 bytes (`PROOF.BAD_SHAPE`
 * otherwise, which also catches raw data passed by mistake). Empty list gives SHA-256("").
 */
export function rootFromLeaves(leaves: readonly Buffer[]): Buffer {
  leaves.forEach((leaf, index) => {
    if (leaf.length !== HASH_SIZE) {
      throw new ProofError('PROOF.BAD_SHAPE', `Leaf hash ${index} is ${leaf.length} bytes, not ${HASH_SIZE}`, {
        index,
        leafHash: hex(leaf),
      });
    }
  });
  if (leaves.length === 0) return EMPTY_ROOT();
  const mth = (start: number, end: number): Buffer => {
    if (end - start === 1) return leaves[start]!;
    const k = largestPowerOfTwoLessThan(end - start);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return Buffer.from(mth(0, leaves.length));
}

// ---- internals ---------------------------------------------------------------------------------

/** The proof's length check and the RFC 9162 §2.1.3.2 walk (index and hashes checked by the caller); null when the walk does not end at the root. */
function climbInclusionProof(
  leafHash: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  evidence: () => Record<string, unknown>,
): Buffer | null {
  const expectedLength = inclusionRanges(index, size).length;
  if (proof.length !== expectedLength) {
    throw new ProofError(
      'PROOF.BAD_SHAPE',
      `An inclusion proof for leaf ${index} in a tree of size ${size} has ${expectedLength} hashes, not ${proof.length}`,
      { ...evidence(), expectedLength },
    );
  }
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

type Range = readonly [start: number, end: number];

const EMPTY_ROOT = (): Buffer => sha256();

/** The subtree ranges whose hashes form PATH(index, D[0:size]), in proof order (leaf upwards). */
function inclusionRanges(index: number, size: number): Range[] {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new ProofError('PROOF.OUT_OF_RANGE', `No leaf ${index} in a tree of size ${size}`, { index, size });
  }
  const topDown: Range[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoLessThan(end - start);
    if (index < start + k) {
      topDown.push([start + k, end]);
      end = start + k;
    } else {
      topDown.push([start, start + k]);
      start += k;
    }
  }
  return topDown.reverse();
}

/** The subtree ranges whose hashes form PROOF(from, D[0:to]) (RFC 9162 SUBPROOF), in proof order. */
function consistencyRanges(from: number, to: number): Range[] {
  if (!isCount(from) || !isCount(to) || from > to) {
    throw new ProofError('PROOF.OUT_OF_RANGE', `No consistency proof from size ${from} to size ${to}`, { from, to });
  }
  if (from === 0 || from === to) return [];
  const topDown: Range[] = [];
  let start = 0;
  let end = to;
  let m = from;
  let complete = true; // RFC 9162's `b`: is the subtree still the old tree's own root?
  while (m !== end - start) {
    const k = largestPowerOfTwoLessThan(end - start);
    if (m <= k) {
      topDown.push([start + k, end]);
      end = start + k;
    } else {
      topDown.push([start, start + k]);
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) topDown.push([start, end]);
  return topDown.reverse();
}

/** MTH of a subtree range from its perfect nodes, folding right to left. */
function combineRange(start: number, end: number, nodes: ReadonlyMap<string, Buffer>): Buffer {
  const hashes = perfectDecomposition(start, end).map((id) => readNode(id, nodes));
  let hash = hashes.pop();
  if (hash === undefined) throw new RangeError(`Empty range [${start}, ${end}) has no hash`);
  for (let i = hashes.length - 1; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return Buffer.from(hash);
}

function readNode(id: NodeId, nodes: ReadonlyMap<string, Buffer>): Buffer {
  const key = nodeKey(id);
  const hash = nodes.get(key);
  if (hash === undefined) {
    throw new ProofError('PROOF.MISSING_NODE', `Node ${key} is missing from the node map`, { key, level: id.level, index: id.index });
  }
  if (hash.length !== HASH_SIZE) {
    throw new ProofError('PROOF.BAD_SHAPE', `Node ${key} is ${hash.length} bytes, not ${HASH_SIZE}`, { key, hash: hex(hash) });
  }
  return hash;
}

function assertHashes(a: Buffer, b: Buffer, proof: readonly Buffer[], evidence: () => Record<string, unknown>): void {
  const bad = [a, b, ...proof].find((h) => h.length !== HASH_SIZE);
  if (bad !== undefined) {
    throw new ProofError('PROOF.BAD_SHAPE', `Every hash is ${HASH_SIZE} bytes; found one of ${bad.length}`, evidence());
  }
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function assertSize(size: number): void {
  if (!isCount(size)) throw new ProofError('PROOF.OUT_OF_RANGE', `Tree size ${size} is not a non-negative safe integer`, { size });
}

function assertCount(n: number, name: string): void {
  if (!isCount(n)) throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** (bitLength(n) - 1) === n;
}

/** Number of binary digits of a non-negative safe integer (0 for 0). */
function bitLength(n: number): number {
  let bits = 0;
  while (n >= 1) {
    n = Math.floor(n / 2);
    bits += 1;
  }
  return bits;
}

function copyNode(n: HashedNode): HashedNode {
  return { id: { level: n.id.level, index: n.id.index }, hash: Buffer.from(n.hash) };
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
