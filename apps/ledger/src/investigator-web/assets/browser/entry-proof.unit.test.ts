import { buildInclusionProof, encodeEntry, entryLeafHash, MerkleAccumulator, nodeKey } from '@aal/ledger-core';
import fc from 'fast-check';
import { entryText, leafHashOf, rootFromInclusionProof, type BrowserEntry } from './entry-proof';

// The page's proof code runs in the browser; Node offers the same WebCrypto and atob, so it is
// held here to libs/ledger-core's encoding and tree byte for byte.

const entries = fc.record({
  seq: fc.maxSafeNat(),
  partition: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  recordedAt: fc.string({ unit: 'binary' }),
  topic: fc.string({ unit: 'binary' }),
  offset: fc.string({ unit: 'binary' }),
  headers: fc.dictionary(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 60 }), { maxKeys: 8 }),
  value: fc.uint8Array({ maxLength: 200 }),
});
const asBrowser = (e: { value: Uint8Array } & Omit<BrowserEntry, 'value'>): BrowserEntry => ({
  ...e,
  value: Buffer.from(e.value).toString('base64'),
});

describe('browser entry proof code', () => {
  it('given any entry, then its canonical text is byte-identical to encodeEntry', () => {
    fc.assert(
      fc.property(entries, (e) => {
        expect(Buffer.from(entryText(asBrowser(e)), 'utf8').equals(encodeEntry({ ...e, value: Buffer.from(e.value) }))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('given any entry, then its leaf hash is the one libs/ledger-core computes', async () => {
    await fc.assert(
      fc.asyncProperty(entries, async (e) => {
        expect(Buffer.from(await leafHashOf(asBrowser(e))).equals(entryLeafHash({ ...e, value: Buffer.from(e.value) }))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('given a tree of any size, then every inclusion proof leads to its root', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.nat(), async (size, pick) => {
        const tree = new MerkleAccumulator();
        const nodes = new Map<string, Buffer>();
        const leaves = Array.from({ length: size }, (_, i) =>
          entryLeafHash({ seq: i, partition: 0, recordedAt: 't', topic: 'x', offset: String(i), headers: {}, value: Buffer.from([i]) }),
        );
        leaves.forEach((leaf, i) => {
          nodes.set(nodeKey({ level: 0, index: i }), leaf);
          for (const node of tree.append(leaf)) nodes.set(nodeKey(node.id), node.hash);
        });
        const index = pick % size;
        const root = await rootFromInclusionProof(leaves[index]!, index, size, buildInclusionProof(index, size, nodes));
        expect(Buffer.from(root).equals(tree.root())).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
