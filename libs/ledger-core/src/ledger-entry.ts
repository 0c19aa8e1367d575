import { canonicalJson } from './canonical-json';
import { HASH_SIZE, leafHashOfText, sha256, sha256Pair } from './hashing';

/**
 * One ledger entry: the event exactly as the ledger received it from Kafka (headers and value
 * bytes), plus the ledger's own metadata. `seq` is the 0-based, gapless position in the log and
 * also the entry's Merkle leaf index.
 */
export interface LedgerEntry {
  readonly seq: number;
  /** When the ledger recorded it (RFC 3339, UTC, millisecond precision). */
  readonly recordedAt: string;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset, decimal string (int64). */
  readonly offset: string;
  /** Kafka headers as received (CloudEvents `ce_*` attributes and `content-type`). */
  readonly headers: Readonly<Record<string, string>>;
  /** The Kafka message value, byte for byte. */
  readonly value: Uint8Array;
}

export const ENTRY_ENCODING_VERSION = 'aal-entry-v1';

/**
 * The canonical bytes of an entry: what is hashed into the Merkle leaf and the chain. Any change
 * to any field, header or value byte changes these bytes.
 */
export function encodeEntry(entry: LedgerEntry): Buffer {
  return Buffer.from(entryText(entry), 'utf8');
}

/** `encodeEntry` as text: its UTF-8 bytes are the leaf data (what a log export writes verbatim). */
export function entryText(entry: LedgerEntry): string {
  // Hand-unrolled canonical JSON of the fixed entry shape (keys already in sorted order): the
  // verifier's hot path. `canonicalEntryJson` below is the definition; a property test keeps the
  // two byte-identical.
  if (!Number.isSafeInteger(entry.seq) || !Number.isSafeInteger(entry.partition)) {
    throw new TypeError(`entry seq and partition must be safe integers, got ${entry.seq} and ${entry.partition}`);
  }
  let headers = '';
  for (const name of Object.keys(entry.headers).sort()) {
    const value = entry.headers[name];
    if (value === undefined) continue;
    headers += `${headers ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  const text =
    `{"headers":{${headers}},"offset":${JSON.stringify(entry.offset)},"partition":${entry.partition},` +
    `"recordedAt":${JSON.stringify(entry.recordedAt)},"seq":${entry.seq},"topic":${JSON.stringify(entry.topic)},` +
    `"v":"${ENTRY_ENCODING_VERSION}","value":"${asBuffer(entry.value).toString('base64')}"}`;
  return text;
}

/** The definition of the entry encoding, through the generic canonical JSON writer. */
export function canonicalEntryJson(entry: LedgerEntry): string {
  return canonicalJson({
    v: ENTRY_ENCODING_VERSION,
    seq: entry.seq,
    recordedAt: entry.recordedAt,
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    headers: entry.headers,
    value: asBuffer(entry.value).toString('base64'),
  });
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function entryLeafHash(entry: LedgerEntry): Buffer {
  return leafHashOfText(entryText(entry));
}

/**
 * Fingerprint of the event itself, independent of where and when the ledger saw it: the same
 * event delivered twice has the same content hash, a different event under a reused id does not.
 */
export function eventContentHash(headers: Readonly<Record<string, string>>, value: Uint8Array): Buffer {
  return sha256(Buffer.from(canonicalJson({ headers, value: Buffer.from(value).toString('base64') }), 'utf8'));
}

/** The chain value before the first entry. */
export const GENESIS_CHAIN_HASH: Buffer = Buffer.alloc(HASH_SIZE);

/** chain[n] = SHA-256(chain[n-1] || leafHash[n]); each entry commits to the whole history before it. */
export function nextChainHash(previous: Uint8Array, leaf: Uint8Array): Buffer {
  return sha256Pair(previous, leaf);
}
