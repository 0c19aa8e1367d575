import type { LedgerEntry } from '@aal/ledger-core';

/** An entry to append: what is hashed (LedgerEntry) and the event's identity and index columns. */
export interface NewEntry extends LedgerEntry {
  readonly eventId: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly eventTime: string;
  readonly contentHash: Buffer;
}

export interface AppendedEntry extends NewEntry {
  readonly leafHash: Buffer;
  readonly chainHash: Buffer;
}
