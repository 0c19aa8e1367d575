import fc from 'fast-check';
import { ChainVerifier, type StoredEntry } from './chain-verification';
import { entryLeafHash, GENESIS_CHAIN_HASH, nextChainHash, type LedgerEntry } from './ledger-entry';

// ---- test data -------------------------------------------------------------------------------

type Content = Omit<LedgerEntry, 'seq'>;

/** Stores entries as an honest ledger would: gapless seqs from 0, each hash computed from the raw entry. */
function honestLedger(contents: readonly Content[]): StoredEntry[] {
  let chain: Buffer = GENESIS_CHAIN_HASH;
  return contents.map((content, seq) => {
    const entry: LedgerEntry = { ...content, seq };
    const leafHash = entryLeafHash(entry);
    chain = nextChainHash(chain, leafHash);
    return { ...entry, leafHash, chainHash: chain };
  });
}

const content = (n: number): Content => ({
  recordedAt: `2026-11-02T09:00:${String(n).padStart(2, '0')}.000Z`,
  topic: 'aal.usage-events.events.v1',
  partition: n % 3,
  offset: String(100 + n),
  headers: { 'content-type': 'application/json', ce_id: `evt-${n}`, ce_type: 'aal.output.generated.v1' },
  value: Buffer.from(JSON.stringify({ outputId: `out-${n}` }), 'utf8'),
});

const ledger = () => honestLedger([0, 1, 2, 3, 4, 5].map(content));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Replaces entry `seq` in a copy of the list. */
function tampered(entries: StoredEntry[], seq: number, change: (e: StoredEntry) => StoredEntry): StoredEntry[] {
  return entries.map((e) => (e.seq === seq ? change(e) : e));
}

const verify = (entries: Iterable<StoredEntry>) => new ChainVerifier().verify(entries);

// ---- verification ------------------------------------------------------------------------------

describe('ChainVerifier', () => {
  it('given an honest chain, when verified, then no problem is found and the position is past the last entry', () => {
    const entries = ledger();
    const verifier = new ChainVerifier();
    expect(verifier.verify(entries)).toBeNull();
    expect(verifier.position).toEqual({ nextSeq: 6, chainHash: Buffer.from(entries[5]!.chainHash) });
  });

  it('given no entries, when verified, then nothing is wrong and the position is genesis', () => {
    const verifier = new ChainVerifier();
    expect(verifier.verify([])).toBeNull();
    expect(verifier.position).toEqual({ nextSeq: 0, chainHash: GENESIS_CHAIN_HASH });
  });

  it('given one changed value byte, when verified, then that entry’s leaf is reported with both hashes', () => {
    const entries = ledger();
    const forged = tampered(entries, 3, (e) => {
      const value = Buffer.from(e.value);
      value[2] = value[2]! ^ 0x20;
      return { ...e, value };
    });
    expect(verify(forged)).toEqual({
      kind: 'leaf-mismatch',
      seq: 3,
      stored: hex(entries[3]!.leafHash),
      computed: hex(entryLeafHash({ ...forged[3]! })),
    });
  });

  it('given a changed header, when verified, then that entry’s leaf is reported', () => {
    const forged = tampered(ledger(), 2, (e) => ({ ...e, headers: { ...e.headers, ce_type: 'aal.output.presented.v1' } }));
    expect(verify(forged)).toMatchObject({ kind: 'leaf-mismatch', seq: 2 });
  });

  it('given a changed ledger field (recordedAt), when verified, then that entry’s leaf is reported', () => {
    const forged = tampered(ledger(), 4, (e) => ({ ...e, recordedAt: '2027-01-01T00:00:00.000Z' }));
    expect(verify(forged)).toMatchObject({ kind: 'leaf-mismatch', seq: 4 });
  });

  it('given a removed middle entry, when verified, then a gap is reported where the missing seq was expected', () => {
    const forged = ledger().filter((e) => e.seq !== 2);
    expect(verify(forged)).toEqual({ kind: 'gap', seq: 3, expectedSeq: 2 });
  });

  it('given two entries swapped in place, when verified, then a gap is reported at the first out-of-order entry', () => {
    const entries = ledger();
    const swapped = [entries[0]!, entries[1]!, entries[3]!, entries[2]!, entries[4]!, entries[5]!];
    expect(verify(swapped)).toEqual({ kind: 'gap', seq: 3, expectedSeq: 2 });
  });

  it('given two entries swapped and renumbered with recomputed leaf hashes, when verified, then the chain breaks at the first of them', () => {
    const entries = ledger();
    const relabel = (from: StoredEntry, seq: number): StoredEntry => {
      const entry = { ...from, seq };
      return { ...entry, leafHash: entryLeafHash(entry) };
    };
    const swapped = [entries[0]!, entries[1]!, relabel(entries[3]!, 2), relabel(entries[2]!, 3), entries[4]!, entries[5]!];
    expect(verify(swapped)).toMatchObject({ kind: 'chain-mismatch', seq: 2, stored: hex(entries[3]!.chainHash) });
  });

  it('given a forged chain hash, when verified, then the chain mismatch is reported at that entry with both values', () => {
    const entries = ledger();
    const forgedChain = Buffer.alloc(32, 0xab);
    expect(verify(tampered(entries, 4, (e) => ({ ...e, chainHash: forgedChain })))).toEqual({
      kind: 'chain-mismatch',
      seq: 4,
      stored: hex(forgedChain),
      computed: hex(entries[4]!.chainHash),
    });
  });

  it('given a rewritten entry whose leaf and chain hashes were recomputed from there on, when verified, then the stored chain still betrays it', () => {
    // The forger recomputes everything from seq 3, but the verifier resumes from a trusted position after seq 4.
    const entries = ledger();
    const rewritten = honestLedger([0, 1, 2, 99, 4, 5].map(content));
    const trusted = new ChainVerifier();
    expect(trusted.verify(entries.slice(0, 5))).toBeNull();
    expect(new ChainVerifier().verify(rewritten)).toBeNull();
    const resumed = new ChainVerifier({ nextSeq: 5, chainHash: trusted.position.chainHash });
    expect(resumed.verify(rewritten.slice(5))).toMatchObject({ kind: 'chain-mismatch', seq: 5 });
  });

  it('given a chain starting mid-log, when verified from a stored position, then it checks out', () => {
    const entries = ledger();
    const verifier = new ChainVerifier({ nextSeq: 3, chainHash: entries[2]!.chainHash });
    expect(verifier.verify(entries.slice(3))).toBeNull();
    expect(verifier.position.nextSeq).toBe(6);
  });

  it('given the first page of a log, when verified from genesis as if it started at 1, then a gap is reported', () => {
    expect(new ChainVerifier({ nextSeq: 1, chainHash: GENESIS_CHAIN_HASH }).verify(ledger())).toEqual({ kind: 'gap', seq: 0, expectedSeq: 1 });
  });

  describe('paging', () => {
    it('given an honest chain, when verified in two pages, then it ends where one call ends', () => {
      const entries = ledger();
      const once = new ChainVerifier();
      const paged = new ChainVerifier();
      expect(once.verify(entries)).toBeNull();
      expect(paged.verify(entries.slice(0, 2))).toBeNull();
      expect(paged.verify(entries.slice(2))).toBeNull();
      expect(paged.position).toEqual(once.position);
    });

    it('given a tampered entry in the second page, when verified in two pages, then the same problem is reported as in one call', () => {
      const forged = tampered(ledger(), 4, (e) => ({ ...e, offset: '999' }));
      const paged = new ChainVerifier();
      expect(paged.verify(forged.slice(0, 3))).toBeNull();
      expect(paged.verify(forged.slice(3))).toEqual(verify(forged));
      expect(paged.verify([])).toBeNull();
      expect(paged.position.nextSeq).toBe(4);
    });

    it('given a page that repeats the last entry of the previous page, when verified, then a gap names it', () => {
      const entries = ledger();
      const paged = new ChainVerifier();
      expect(paged.verify(entries.slice(0, 3))).toBeNull();
      expect(paged.verify(entries.slice(2))).toEqual({ kind: 'gap', seq: 2, expectedSeq: 3 });
    });

    it('given the position, when the caller mutates the returned chain hash, then the verifier is unaffected', () => {
      const entries = ledger();
      const paged = new ChainVerifier();
      paged.verify(entries.slice(0, 3));
      paged.position.chainHash.fill(0);
      expect(paged.verify(entries.slice(3))).toBeNull();
    });
  });

  describe('property', () => {
    const arbitraryContent: fc.Arbitrary<Content> = fc.record({
      recordedAt: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      topic: fc.constantFrom('aal.model-registry.events.v1', 'aal.deployment-approval.events.v1', 'aal.usage-events.events.v1'),
      partition: fc.nat({ max: 11 }),
      offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
      headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 5 }),
      value: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    });

    it('given random entries and one flipped bit in one entry’s value, when verified, then exactly that entry is reported', () => {
      const scenario = fc
        .array(arbitraryContent, { minLength: 1, maxLength: 12 })
        .chain((contents) =>
          fc.record({
            contents: fc.constant(contents),
            target: fc.nat({ max: contents.length - 1 }),
            byteFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
            bit: fc.nat({ max: 7 }),
          }),
        );
      fc.assert(
        fc.property(scenario, ({ contents, target, byteFraction, bit }) => {
          const entries = honestLedger(contents);
          expect(verify(entries)).toBeNull();
          const forged = tampered(entries, target, (e) => {
            const value = Buffer.from(e.value);
            const index = Math.floor(byteFraction * value.length);
            value[index] = value[index]! ^ (1 << bit);
            return { ...e, value };
          });
          expect(verify(forged)).toMatchObject({ kind: 'leaf-mismatch', seq: target });
        }),
      );
    });
  });
});
