import fc from 'fast-check';
import { thrownBy } from '@aal/testing/unit';
import { leafHash, nodeHash, sha256 } from './hashing';
import {
  buildConsistencyProof,
  buildInclusionProof,
  largestPowerOfTwoLessThan,
  MerkleAccumulator,
  nodeKey,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  nodesForRoot,
  perfectDecomposition,
  ProofError,
  rootFromLeaves,
  rootFromNodes,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
} from './merkle';

// ---- reference vectors ---------------------------------------------------------------------------
// RFC 6962 test data of the Certificate Transparency reference implementations, as published in
// transparency-dev/merkle proof/verify_test.go (also in google/trillian merkle tests and
// certificate-transparency-go). Leaf inputs are raw data, hashed with leafHash. Inclusion vectors
// there number leaves from 1; here they are 0-based indices.

const unhex = (s: string) => Buffer.from(s, 'hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const CT_LEAF_DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_LEAVES = CT_LEAF_DATA.map((d) => leafHash(d));

/** CT_ROOTS[n] is the root of the first n leaves. */
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CT_CONSISTENCY = [
  { from: 1, to: 1, proof: [] as string[] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    from: 6,
    to: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const ctRoot = (size: number) => unhex(CT_ROOTS[size]!);
/** A hash that is in no tree here (transparency-dev's sha256SomeHash). */
const SOME_HASH = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');
const EMPTY_TREE_HASH = unhex(CT_ROOTS[0]!);

// ---- test trees ------------------------------------------------------------------------------------

/** Every perfect node of the tree over `leaves`, computed level by level (not by the accumulator). */
function allPerfectNodes(leaves: readonly Buffer[]): Map<string, Buffer> {
  const nodes = new Map<string, Buffer>();
  let level = [...leaves];
  for (let l = 0; level.length > 0; l++) {
    level.forEach((hash, index) => {
      nodes.set(nodeKey({ level: l, index }), hash);
    });
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    level = next;
  }
  return nodes;
}

const MAX_SIZE = 2048;
const LEAVES = Array.from({ length: MAX_SIZE }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const ALL_NODES = allPerfectNodes(LEAVES);

/**
 * What storage holds once `size` leaves are in: the perfect nodes wholly inside [0, size), as a
 * read-only view of ALL_NODES that records every key read and can lose nodes.
 */
class StoredNodes extends Map<string, Buffer> {
  readonly reads: string[] = [];
  private readonly lost = new Set<string>();

  constructor(private readonly treeSize: number) {
    super();
  }

  override get(key: string): Buffer | undefined {
    this.reads.push(key);
    return this.has(key) ? ALL_NODES.get(key) : undefined;
  }

  override has(key: string): boolean {
    return ALL_NODES.has(key) && !this.lost.has(key) && nodeEnd(parseKey(key)) <= this.treeSize;
  }

  override delete(key: string): boolean {
    this.lost.add(key);
    return true;
  }
}
const stored = (size: number) => new StoredNodes(size);

function parseKey(key: string): NodeId {
  const [level, index] = key.split('/').map(Number);
  return { level: level!, index: index! };
}
const nodeEnd = (id: NodeId) => (id.index + 1) * 2 ** id.level;

/** MTH of LEAVES[start, end) by the reference recursion, memoised (subtrees repeat across runs). */
const MTH_CACHE = new Map<string, Buffer>();
function mth(start: number, end: number): Buffer {
  const key = `${start}-${end}`;
  let root = MTH_CACHE.get(key);
  if (root === undefined) {
    root = rootFromLeaves(LEAVES.slice(start, end));
    MTH_CACHE.set(key, root);
  }
  return root;
}

/** RFC 9162 §2.1.3.1 PATH, written straight from the definition. */
function referencePath(m: number, start: number, end: number): Buffer[] {
  const n = end - start;
  if (n === 1) return [];
  const k = largestPowerOfTwoLessThan(n);
  return m < k
    ? [...referencePath(m, start, start + k), mth(start + k, end)]
    : [...referencePath(m - k, start + k, end), mth(start, start + k)];
}

/** RFC 9162 §2.1.4.1 SUBPROOF, written straight from the definition. */
function referenceSubproof(m: number, start: number, end: number, b: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return b ? [] : [mth(start, end)];
  const k = largestPowerOfTwoLessThan(n);
  return m <= k
    ? [...referenceSubproof(m, start, start + k, b), mth(start + k, end)]
    : [...referenceSubproof(m - k, start + k, end, false), mth(start, start + k)];
}
const referenceConsistency = (from: number, to: number) => (from === 0 || from === to ? [] : referenceSubproof(from, 0, to, true));

/**
 * The symbolic computation a verifier does for (index, size): which proof element is combined on
 * which side, from the PATH recursion. Two parameter sets with the same expression accept exactly
 * the same proofs, so a changed index or size can only be caught when its expression differs.
 */
function inclusionShape(index: number, size: number): string {
  const walk = (m: number, n: number): { expr: string; used: number } => {
    if (n === 1) return { expr: 'leaf', used: 0 };
    const k = largestPowerOfTwoLessThan(n);
    const sub = m < k ? walk(m, k) : walk(m - k, n - k);
    const p = `p${sub.used}`;
    return { expr: m < k ? `H(${sub.expr},${p})` : `H(${p},${sub.expr})`, used: sub.used + 1 };
  };
  return walk(index, size).expr;
}

/** Symbolic (old root, new root) a consistency verifier computes, from the SUBPROOF recursion. */
function consistencyShape(from: number, to: number): string {
  if (from === 0 || from === to) return `trivial ${from} ${to}`;
  const walk = (m: number, n: number, b: boolean): { old: string; new: string; used: number } => {
    if (m === n) return b ? { old: 'oldRoot', new: 'oldRoot', used: 0 } : { old: 'p0', new: 'p0', used: 1 };
    const k = largestPowerOfTwoLessThan(n);
    if (m <= k) {
      const sub = walk(m, k, b);
      return { old: sub.old, new: `H(${sub.new},p${sub.used})`, used: sub.used + 1 };
    }
    const sub = walk(m - k, n - k, false);
    const p = `p${sub.used}`;
    return { old: `H(${p},${sub.old})`, new: `H(${p},${sub.new})`, used: sub.used + 1 };
  };
  const { old, new: next } = walk(from, to, true);
  return `${old} | ${next}`;
}

const describeNode = (n: { id: NodeId; hash: Buffer }) => `${nodeKey(n.id)}=${hex(n.hash)}`;

function flipBit(b: Buffer, bit: number): Buffer {
  const copy = Buffer.from(b);
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
}

/** The ProofError code `f` throws, or 'accepted'. */
function outcome(f: () => void): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    if (e instanceof ProofError) return e.code;
    throw e;
  }
}

const sizeAndIndex = fc.integer({ min: 1, max: MAX_SIZE }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
const fromAndTo = fc.integer({ min: 0, max: MAX_SIZE }).chain((to) => fc.tuple(fc.nat(to), fc.constant(to)));
const properFromAndTo = fc.integer({ min: 2, max: MAX_SIZE }).chain((to) => fc.tuple(fc.integer({ min: 1, max: to - 1 }), fc.constant(to)));

// ---- tree maths ------------------------------------------------------------------------------------

describe('tree maths', () => {
  it('given a node id, when keyed, then the key is level/index', () => {
    expect(nodeKey({ level: 3, index: 17 })).toBe('3/17');
  });

  it('given n, when the split point is taken, then it is the largest power of two strictly below n (RFC 9162 k)', () => {
    const expected: Array<[number, number]> = [
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 4],
      [6, 4],
      [7, 4],
      [8, 4],
      [9, 8],
      [1000, 512],
      [2 ** 40, 2 ** 39],
      [2 ** 40 + 1, 2 ** 40],
      [Number.MAX_SAFE_INTEGER, 2 ** 52],
    ];
    for (const [n, k] of expected) expect(largestPowerOfTwoLessThan(n)).toBe(k);
    expect(() => largestPowerOfTwoLessThan(1)).toThrow(RangeError);
  });

  it('given subtree ranges, when decomposed, then the perfect nodes are listed largest first', () => {
    expect(perfectDecomposition(0, 0)).toEqual([]);
    expect(perfectDecomposition(0, 8)).toEqual([{ level: 3, index: 0 }]);
    expect(perfectDecomposition(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectDecomposition(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectDecomposition(2 ** 52, 2 ** 52 + 3)).toEqual([
      { level: 1, index: 2 ** 51 },
      { level: 0, index: 2 ** 52 + 2 },
    ]);
  });

  it('given a range that no RFC 9162 recursion produces, when decomposed, then it is refused', () => {
    expect(() => perfectDecomposition(1, 3)).toThrow(RangeError);
    expect(() => perfectDecomposition(5, 4)).toThrow(RangeError);
    expect(() => perfectDecomposition(-1, 4)).toThrow(RangeError);
  });

  it('given any size, when decomposed, then combining the nodes right to left gives the reference root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SIZE }), (size) => {
        const ids = nodesForRoot(size);
        expect(ids).toEqual(perfectDecomposition(0, size));
        expect(rootFromNodes(size, stored(size))).toEqual(mth(0, size));
      }),
    );
  });
});

// ---- reference vectors -----------------------------------------------------------------------------

describe('RFC 6962 reference vectors', () => {
  const nodes = allPerfectNodes(CT_LEAVES);

  it('given the CT leaves, when the root of each size 0..8 is computed three ways, then each is the published root', () => {
    const accumulator = new MerkleAccumulator();
    expect(hex(accumulator.root())).toBe(CT_ROOTS[0]);
    for (let size = 0; size <= CT_LEAVES.length; size++) {
      if (size > 0) accumulator.append(CT_LEAVES[size - 1]!);
      expect(hex(rootFromLeaves(CT_LEAVES.slice(0, size)))).toBe(CT_ROOTS[size]);
      expect(hex(rootFromNodes(size, nodes))).toBe(CT_ROOTS[size]);
      expect(hex(accumulator.root())).toBe(CT_ROOTS[size]);
    }
  });

  it.each(CT_INCLUSION)(
    'given leaf $index of size $size, when its inclusion proof is built and verified, then it is the published proof',
    ({ index, size, proof }) => {
      expect(buildInclusionProof(index, size, nodes).map(hex)).toEqual(proof);
      expect(() => verifyInclusion(CT_LEAVES[index]!, index, size, proof.map(unhex), ctRoot(size))).not.toThrow();
    },
  );

  it.each(CT_CONSISTENCY)(
    'given sizes $from → $to, when the consistency proof is built and verified, then it is the published proof',
    ({ from, to, proof }) => {
      expect(buildConsistencyProof(from, to, nodes).map(hex)).toEqual(proof);
      expect(() => verifyConsistency(from, to, ctRoot(from), ctRoot(to), proof.map(unhex))).not.toThrow();
    },
  );

  // The probes of transparency-dev/merkle's corruptInclusionProof: every one MUST be rejected.
  it.each(CT_INCLUSION)(
    'given the published proof for leaf $index of $size, when any part is corrupted, then verification fails',
    ({ index, size, proof: hexProof }) => {
      const proof = hexProof.map(unhex);
      const root = ctRoot(size);
      const leaf = CT_LEAVES[index]!;
      const probes: Array<[string, number, number, Buffer, Buffer[], Buffer]> = [
        ['index - 1', index - 1, size, leaf, proof, root],
        ['index + 1', index + 1, size, leaf, proof, root],
        ['index ^ 2', index ^ 2, size, leaf, proof, root],
        ['size * 2', index, size * 2, leaf, proof, root],
        ['size / 2', index, Math.floor(size / 2), leaf, proof, root],
        ['wrong leaf', index, size, Buffer.from('WrongLeaf'), proof, root],
        ['other leaf', index, size, SOME_HASH, proof, root],
        ['empty root', index, size, leaf, proof, EMPTY_TREE_HASH],
        ['random root', index, size, leaf, proof, SOME_HASH],
        ['trailing garbage', index, size, leaf, [...proof, Buffer.alloc(0)], root],
        ['trailing root', index, size, leaf, [...proof, root], root],
        ['preceding garbage', index, size, leaf, [Buffer.alloc(0), ...proof], root],
        ['preceding root', index, size, leaf, [root, ...proof], root],
        ['removed component', index, size, leaf, proof.slice(0, -1), root],
        ['inserted component', index, size, leaf, [proof[0]!, SOME_HASH, ...proof.slice(1)], root],
        ...proof.map((_, i): [string, number, number, Buffer, Buffer[], Buffer] => [
          `proof[${i}] bit 3`,
          index,
          size,
          leaf,
          proof.map((p, j) => (j === i ? flipBit(p, 3) : p)),
          root,
        ]),
      ];
      const outcomes = probes.map(([description, i, s, l, p, r]) => [description, outcome(() => verifyInclusion(l, i, s, p, r))]);
      expect(outcomes).toEqual(
        probes.map(([description]) => [description, expect.stringMatching(/^PROOF\.(INCLUSION_MISMATCH|BAD_SHAPE)$/)]),
      );
    },
  );

  // The probes of transparency-dev/merkle's corruptConsistencyProof, for the non-trivial vectors.
  it.each(CT_CONSISTENCY.filter((v) => v.proof.length > 0))(
    'given the published proof for $from → $to, when any part is corrupted, then verification fails',
    ({ from, to, proof: hexProof }) => {
      const proof = hexProof.map(unhex);
      const [r1, r2] = [ctRoot(from), ctRoot(to)];
      const probes: Array<[string, number, number, Buffer, Buffer, Buffer[]]> = [
        ['from - 1', from - 1, to, r1, r2, proof],
        ['from + 1', from + 1, to, r1, r2, proof],
        ['from ^ 2', from ^ 2, to, r1, r2, proof],
        ['to * 2', from, to * 2, r1, r2, proof],
        ['to / 2', from, Math.floor(to / 2), r1, r2, proof],
        ['wrong root1', from, to, Buffer.from('WrongRoot'), r2, proof],
        ['wrong root2', from, to, r1, Buffer.from('WrongRoot'), proof],
        ['other root1', from, to, SOME_HASH, r2, proof],
        ['other root2', from, to, r1, SOME_HASH, proof],
        ['swapped roots', from, to, r2, r1, proof],
        ['empty proof', from, to, r1, r2, []],
        ['trailing garbage', from, to, r1, r2, [...proof, Buffer.alloc(0)]],
        ['trailing root1', from, to, r1, r2, [...proof, r1]],
        ['trailing root2', from, to, r1, r2, [...proof, r2]],
        ['preceding garbage', from, to, r1, r2, [Buffer.alloc(0), ...proof]],
        ['preceding root1', from, to, r1, r2, [r1, ...proof]],
        ['preceding root2', from, to, r1, r2, [r2, ...proof]],
        ['preceding proof[0]', from, to, r1, r2, [proof[0]!, ...proof]],
        ['truncated proof', from, to, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [string, number, number, Buffer, Buffer, Buffer[]] => [
          `proof[${i}] bit 4`,
          from,
          to,
          r1,
          r2,
          proof.map((p, j) => (j === i ? flipBit(p, 4) : p)),
        ]),
      ];
      const outcomes = probes.map(([description, f, t, a, b, p]) => [description, outcome(() => verifyConsistency(f, t, a, b, p))]);
      expect(outcomes).toEqual(
        probes.map(([description]) => [description, expect.stringMatching(/^PROOF\.(CONSISTENCY_MISMATCH|BAD_SHAPE)$/)]),
      );
    },
  );

  it('given the degenerate sizes, when verified, then only equal roots (or the empty tree) with an empty proof pass', () => {
    const [r1, r2] = [ctRoot(1), ctRoot(2)];
    expect(() => verifyConsistency(0, 0, EMPTY_TREE_HASH, EMPTY_TREE_HASH, [])).not.toThrow();
    expect(() => verifyConsistency(0, 5, EMPTY_TREE_HASH, ctRoot(5), [])).not.toThrow();
    expect(() => verifyConsistency(1, 1, r1, r1, [])).not.toThrow();
    expect(thrownBy(ProofError, () => verifyConsistency(1, 1, r1, r2, [])).code).toBe('PROOF.CONSISTENCY_MISMATCH');
    expect(thrownBy(ProofError, () => verifyConsistency(0, 5, r1, ctRoot(5), [])).code).toBe('PROOF.CONSISTENCY_MISMATCH');
    expect(thrownBy(ProofError, () => verifyConsistency(1, 1, r1, r1, [EMPTY_TREE_HASH])).code).toBe('PROOF.BAD_SHAPE');
    expect(thrownBy(ProofError, () => verifyConsistency(0, 1, EMPTY_TREE_HASH, r1, [EMPTY_TREE_HASH])).code).toBe('PROOF.BAD_SHAPE');
    expect(thrownBy(ProofError, () => verifyConsistency(2, 1, r2, r1, [])).code).toBe('PROOF.BAD_SHAPE');
    expect(thrownBy(ProofError, () => verifyConsistency(1, 2, r1, r2, [])).code).toBe('PROOF.BAD_SHAPE');
  });

  it('given a one-leaf tree, when verified, then the empty proof passes exactly when leaf and root are the same hash', () => {
    const hash = leafHash(Buffer.from('data'));
    expect(() => verifyInclusion(hash, 0, 1, [], hash)).not.toThrow();
    expect(thrownBy(ProofError, () => verifyInclusion(hash, 0, 1, [], SOME_HASH)).code).toBe('PROOF.INCLUSION_MISMATCH');
    expect(thrownBy(ProofError, () => verifyInclusion(Buffer.alloc(0), 0, 1, [], hash)).code).toBe('PROOF.BAD_SHAPE');
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [-1, 1],
      [0.5, 1],
    ] as const) {
      expect(thrownBy(ProofError, () => verifyInclusion(SOME_HASH, index, size, [], EMPTY_TREE_HASH)).code).toBe('PROOF.BAD_SHAPE');
    }
  });
});

// ---- properties over many tree sizes ---------------------------------------------------------------

describe('inclusion proofs', () => {
  it('given any leaf in any tree, when the proof is built from stored nodes, then it is RFC 9162 PATH and verifies against the reference root', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size, index]) => {
        const proof = buildInclusionProof(index, size, stored(size));
        expect(proof).toEqual(referencePath(index, 0, size));
        verifyInclusion(LEAVES[index]!, index, size, proof, mth(0, size));
      }),
      { numRuns: 300 },
    );
  });

  it('given any proof, when the build reads the node map, then it reads exactly the requested nodes, in order, all already complete', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size, index]) => {
        const requested = nodesForInclusionProof(index, size);
        const map = stored(size);
        buildInclusionProof(index, size, map);
        expect(map.reads).toEqual(requested.map(nodeKey));
        expect(new Set(map.reads).size).toBe(map.reads.length);
        for (const id of requested) expect(nodeEnd(id)).toBeLessThanOrEqual(size);
      }),
    );
  });

  it('given a node map missing one requested node, when the proof is built, then the error names that node', () => {
    fc.assert(
      fc.property(
        sizeAndIndex.filter(([size]) => size > 1),
        fc.nat(),
        ([size, index], pick) => {
          const requested = nodesForInclusionProof(index, size);
          const missing = nodeKey(requested[pick % requested.length]!);
          const map = stored(size);
          map.delete(missing);
          const error = thrownBy(ProofError, () => buildInclusionProof(index, size, map));
          expect(error.code).toBe('PROOF.MISSING_NODE');
          expect(error.evidence['key']).toBe(missing);
          expect(error.message).toContain(missing);
        },
      ),
    );
  });

  it('given a valid proof, when one bit of a proof element, the root or the leaf hash is flipped, then it is rejected as a mismatch', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(255), fc.constantFrom('proof', 'root', 'leaf'), ([size, index], which, bit, target) => {
        const proof = buildInclusionProof(index, size, stored(size));
        let [leaf, root] = [LEAVES[index]!, mth(0, size)];
        if (target === 'proof' && proof.length > 0) proof[which % proof.length] = flipBit(proof[which % proof.length]!, bit);
        else if (target === 'root' || proof.length === 0) root = flipBit(root, bit);
        else leaf = flipBit(leaf, bit);
        const error = thrownBy(ProofError, () => verifyInclusion(leaf, index, size, proof, root));
        expect(error.code).toBe('PROOF.INCLUSION_MISMATCH');
        expect(error.evidence).toMatchObject({ index, size, leafHash: hex(leaf), root: hex(root), proof: proof.map(hex) });
        expect(error.evidence['computedRoot']).not.toBe(hex(root));
      }),
      { numRuns: 300 },
    );
  });

  it('given a valid proof, when the index changes, then it is always rejected', () => {
    fc.assert(
      fc.property(
        sizeAndIndex.filter(([size]) => size > 1),
        fc.nat(),
        ([size, index], other) => {
          const otherIndex = (index + 1 + (other % (size - 1))) % size;
          const proof = buildInclusionProof(index, size, stored(size));
          expect(() => verifyInclusion(LEAVES[index]!, otherIndex, size, proof, mth(0, size))).toThrow(ProofError);
        },
      ),
    );
  });

  it('given a valid proof, when the size changes, then it is rejected unless the new size has the very same path shape', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 1, max: 2 * MAX_SIZE }), ([size, index], otherSize) => {
        fc.pre(otherSize !== size);
        const proof = buildInclusionProof(index, size, stored(size));
        const verify = () => verifyInclusion(LEAVES[index]!, index, otherSize, proof, mth(0, size));
        if (index < otherSize && inclusionShape(index, otherSize) === inclusionShape(index, size)) expect(verify).not.toThrow();
        else expect(verify).toThrow(ProofError);
      }),
      { numRuns: 300 },
    );
    // The shape coincidence is real and inherent to RFC 9162, not a verifier bug:
    const proof = buildInclusionProof(0, 5, stored(5));
    expect(() => verifyInclusion(LEAVES[0]!, 0, 6, proof, mth(0, 5))).not.toThrow();
  });

  it('given out-of-range positions, when a proof is requested, then it is refused with the sizes', () => {
    for (const [index, size] of [
      [0, 0],
      [5, 5],
      [-1, 3],
      [1.5, 3],
    ] as const) {
      const error = thrownBy(ProofError, () => nodesForInclusionProof(index, size));
      expect(error.code).toBe('PROOF.OUT_OF_RANGE');
      expect(error.evidence).toEqual({ index, size });
    }
  });
});

describe('consistency proofs', () => {
  it('given any two sizes, when the proof is built from stored nodes, then it is RFC 9162 PROOF and verifies against the reference roots', () => {
    fc.assert(
      fc.property(fromAndTo, ([from, to]) => {
        const proof = buildConsistencyProof(from, to, stored(to));
        expect(proof).toEqual(referenceConsistency(from, to));
        verifyConsistency(from, to, mth(0, from), mth(0, to), proof);
      }),
      { numRuns: 300 },
    );
  });

  it('given any proof, when the build reads the node map, then it reads exactly the requested nodes, in order, all already complete', () => {
    fc.assert(
      fc.property(fromAndTo, ([from, to]) => {
        const requested = nodesForConsistencyProof(from, to);
        const map = stored(to);
        buildConsistencyProof(from, to, map);
        expect(map.reads).toEqual(requested.map(nodeKey));
        expect(new Set(map.reads).size).toBe(map.reads.length);
        for (const id of requested) expect(nodeEnd(id)).toBeLessThanOrEqual(to);
      }),
    );
  });

  it('given a proof that needs nodes, when one is missing, then the error names it', () => {
    fc.assert(
      fc.property(properFromAndTo, fc.nat(), ([from, to], pick) => {
        const requested = nodesForConsistencyProof(from, to);
        const missing = nodeKey(requested[pick % requested.length]!);
        const map = stored(to);
        map.delete(missing);
        const error = thrownBy(ProofError, () => buildConsistencyProof(from, to, map));
        expect(error.code).toBe('PROOF.MISSING_NODE');
        expect(error.evidence['key']).toBe(missing);
        expect(error.message).toContain(missing);
      }),
    );
  });

  it('given a valid proof, when one bit of a proof element or either root is flipped, then it is rejected with both roots as evidence', () => {
    fc.assert(
      fc.property(
        properFromAndTo,
        fc.nat(),
        fc.nat(255),
        fc.constantFrom('proof', 'fromRoot', 'toRoot'),
        ([from, to], which, bit, target) => {
          const proof = buildConsistencyProof(from, to, stored(to));
          let [r1, r2] = [mth(0, from), mth(0, to)];
          if (target === 'proof') proof[which % proof.length] = flipBit(proof[which % proof.length]!, bit);
          else if (target === 'fromRoot') r1 = flipBit(r1, bit);
          else r2 = flipBit(r2, bit);
          const error = thrownBy(ProofError, () => verifyConsistency(from, to, r1, r2, proof));
          expect(error.code).toBe('PROOF.CONSISTENCY_MISMATCH');
          expect(error.evidence).toMatchObject({ from, to, fromRoot: hex(r1), toRoot: hex(r2), proof: proof.map(hex) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given a valid proof, when from or to changes, then it is rejected unless the new sizes have the very same proof shape', () => {
    fc.assert(
      fc.property(properFromAndTo, fc.integer({ min: 0, max: 2 * MAX_SIZE }), fc.boolean(), ([from, to], other, changeFrom) => {
        const [f, t] = changeFrom ? [other % (to + 1), to] : [from, Math.max(other, from)];
        fc.pre(f !== from || t !== to);
        const proof = buildConsistencyProof(from, to, stored(to));
        const verify = () => verifyConsistency(f, t, mth(0, from), mth(0, to), proof);
        if (consistencyShape(f, t) === consistencyShape(from, to)) expect(verify).not.toThrow();
        else expect(verify).toThrow(ProofError);
      }),
      { numRuns: 300 },
    );
  });

  it('given from > to, when a proof is requested, then it is refused', () => {
    expect(thrownBy(ProofError, () => nodesForConsistencyProof(5, 4)).code).toBe('PROOF.OUT_OF_RANGE');
    expect(thrownBy(ProofError, () => buildConsistencyProof(5, 4, new Map())).evidence).toEqual({ from: 5, to: 4 });
  });
});

// ---- accumulator -------------------------------------------------------------------------------------

describe('MerkleAccumulator', () => {
  it('given leaves appended one by one, when the root is read at every size up to 600, then it equals the reference MTH', () => {
    const accumulator = new MerkleAccumulator();
    expect(accumulator.root()).toEqual(sha256());
    for (let size = 1; size <= 600; size++) {
      accumulator.append(LEAVES[size - 1]!);
      expect(accumulator.size).toBe(size);
      expect(accumulator.root()).toEqual(mth(0, size));
    }
  });

  it('given every leaf of a tree, when appended, then the completed nodes are exactly the perfect nodes, each once, lowest first', () => {
    const accumulator = new MerkleAccumulator();
    const completed = new Map<string, Buffer>();
    const problems: string[] = [];
    LEAVES.forEach((leaf, index) => {
      const nodes = accumulator.append(leaf);
      if (!nodes[0]!.hash.equals(leaf) || nodeKey(nodes[0]!.id) !== `0/${index}`) problems.push(`leaf ${index} is not first`);
      nodes.forEach((n, i) => {
        const key = nodeKey(n.id);
        if (n.id.level !== i) problems.push(`${key} out of order after leaf ${index}`);
        if (nodeEnd(n.id) !== index + 1) problems.push(`${key} was not completed by leaf ${index}`);
        if (completed.has(key)) problems.push(`${key} reported twice`);
        completed.set(key, n.hash);
      });
    });
    expect(problems).toEqual([]);
    expect(new Map([...completed].map(([k, v]) => [k, hex(v)]))).toEqual(new Map([...ALL_NODES].map(([k, v]) => [k, hex(v)])));
  });

  it('given a tree stopped at any size, when resumed from its right edge, then it continues identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SIZE }), fc.integer({ min: 0, max: MAX_SIZE }), (a, b) => {
        const [stop, end] = a <= b ? [a, b] : [b, a];
        const first = new MerkleAccumulator();
        LEAVES.slice(0, stop).forEach((leaf) => {
          first.append(leaf);
        });
        const edge = first.rightEdge();
        expect(edge.map((n) => n.id)).toEqual(perfectDecomposition(0, stop));
        for (const n of edge) expect(n.hash).toEqual(ALL_NODES.get(nodeKey(n.id)));
        const resumed = new MerkleAccumulator({ size: stop, rightEdge: edge });
        expect(resumed.size).toBe(stop);
        expect(resumed.root()).toEqual(first.root());
        const continued = LEAVES.slice(stop, end);
        const fromResumed = continued.flatMap((leaf) => resumed.append(leaf)).map(describeNode);
        const fromFirst = continued.flatMap((leaf) => first.append(leaf)).map(describeNode);
        expect(fromResumed.join()).toBe(fromFirst.join());
        expect(resumed.size).toBe(end);
        expect(resumed.root()).toEqual(mth(0, end));
        expect(resumed.rightEdge().map(describeNode)).toEqual(first.rightEdge().map(describeNode));
      }),
      { numRuns: 50 },
    );
  });

  it('given a right edge that does not match its size, when resumed, then it is refused with the expected node keys', () => {
    const accumulator = new MerkleAccumulator();
    LEAVES.slice(0, 13).forEach((leaf) => {
      accumulator.append(leaf);
    });
    const edge = accumulator.rightEdge();
    const error = thrownBy(ProofError, () => new MerkleAccumulator({ size: 12, rightEdge: edge }));
    expect(error.code).toBe('PROOF.BAD_SHAPE');
    expect(error.evidence['expected']).toEqual(['3/0', '2/2']);
    expect(() => new MerkleAccumulator({ size: 13, rightEdge: edge.slice(1) })).toThrow(ProofError);
    expect(() => new MerkleAccumulator({ size: 13, rightEdge: [{ ...edge[0]!, hash: Buffer.alloc(31) }, ...edge.slice(1)] })).toThrow(
      ProofError,
    );
    expect(() => new MerkleAccumulator({ size: -1, rightEdge: [] })).toThrow(ProofError);
  });

  it('given returned nodes and edges, when the caller mutates them, then the accumulator is unaffected', () => {
    const accumulator = new MerkleAccumulator();
    const leaf = Buffer.from(LEAVES[0]!);
    accumulator.append(leaf).forEach((n) => {
      n.hash.fill(0);
    });
    leaf.fill(0);
    accumulator.rightEdge().forEach((n) => {
      n.hash.fill(0);
    });
    expect(accumulator.root()).toEqual(LEAVES[0]);
  });

  it('given something that is not a 32-byte leaf hash, when appended or used as a leaf, then it is refused', () => {
    expect(thrownBy(ProofError, () => new MerkleAccumulator().append(Buffer.from('raw entry bytes'))).code).toBe('PROOF.BAD_SHAPE');
    expect(thrownBy(ProofError, () => rootFromLeaves([Buffer.from('raw entry bytes')])).code).toBe('PROOF.BAD_SHAPE');
  });

  // Speed is measured by bench/ (no timed assertions in tests); this checks correctness at a size
  // well past the property tests, across several levels of the tree.
  it('given tens of thousands of leaves, when appended, then the root and right edge match the reference', () => {
    const count = 40_123;
    const leaves = Array.from({ length: count }, (_, i) => LEAVES[i % MAX_SIZE]!);
    const accumulator = new MerkleAccumulator();
    for (const leaf of leaves) accumulator.append(leaf);
    expect(accumulator.root()).toEqual(rootFromLeaves(leaves));
    expect(accumulator.rightEdge().map((n) => n.id)).toEqual(perfectDecomposition(0, count));
  });
});

describe('evidence', () => {
  it('given a proof element that is not a hash, when verified, then the shape error carries the inputs', () => {
    const error = thrownBy(ProofError, () => verifyInclusion(LEAVES[0]!, 0, 2, [Buffer.from('short')], mth(0, 2)));
    expect(error.code).toBe('PROOF.BAD_SHAPE');
    expect(error.evidence).toEqual({
      index: 0,
      size: 2,
      leafHash: hex(LEAVES[0]!),
      root: hex(mth(0, 2)),
      proof: [hex(Buffer.from('short'))],
    });
  });

  it('given a proof of the wrong length, when verified, then the error says how many hashes were expected', () => {
    const error = thrownBy(ProofError, () => verifyConsistency(3, 7, mth(0, 3), mth(0, 7), []));
    expect(error.code).toBe('PROOF.BAD_SHAPE');
    expect(error.evidence['expectedLength']).toBe(referenceConsistency(3, 7).length);
  });
});
