import { entryLeafHash, GENESIS_CHAIN_HASH, nextChainHash, type LedgerEntry } from './ledger-entry';

export interface StoredEntry extends LedgerEntry {
  /** The leaf hash the server stored. */
  readonly leafHash: Uint8Array;
  /** The chain hash the server stored. */
  readonly chainHash: Uint8Array;
}

export type ChainProblem =
  | { kind: 'gap'; seq: number; expectedSeq: number }
  | { kind: 'leaf-mismatch'; seq: number; stored: string; computed: string }
  | { kind: 'chain-mismatch'; seq: number; stored: string; computed: string };

/**
 * Walks entries in order, recomputing every leaf and chain hash from the raw entry. Resumable:
 * pass the state returned by the previous call to continue with the next page.
 */
export class ChainVerifier {
  private expectedSeq: number;
  private chain: Buffer;

  constructor(start: { nextSeq: number; chainHash: Uint8Array } = { nextSeq: 0, chainHash: GENESIS_CHAIN_HASH }) {
    this.expectedSeq = start.nextSeq;
    this.chain = Buffer.from(start.chainHash);
  }

  /** Returns the first problem found, or null when every entry checks out. */
  verify(entries: Iterable<StoredEntry>): ChainProblem | null {
    for (const entry of entries) {
      if (entry.seq !== this.expectedSeq) return { kind: 'gap', seq: entry.seq, expectedSeq: this.expectedSeq };
      const leaf = entryLeafHash(entry);
      if (!leaf.equals(Buffer.from(entry.leafHash))) {
        return { kind: 'leaf-mismatch', seq: entry.seq, stored: hex(entry.leafHash), computed: hex(leaf) };
      }
      const chain = nextChainHash(this.chain, leaf);
      if (!chain.equals(Buffer.from(entry.chainHash))) {
        return { kind: 'chain-mismatch', seq: entry.seq, stored: hex(entry.chainHash), computed: hex(chain) };
      }
      this.chain = chain;
      this.expectedSeq += 1;
    }
    return null;
  }

  get position(): { nextSeq: number; chainHash: Buffer } {
    return { nextSeq: this.expectedSeq, chainHash: Buffer.from(this.chain) };
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
