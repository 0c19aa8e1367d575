import type { LedgerEntry } from '@aal/ledger-core';

/**
 * One log entry as the ledger serves it (`GET /entries`) and as an export bundle carries it. The
 * stored `leafHash` and `chainHash` are what the server claims; a verifier recomputes both from
 * the raw fields and only uses the stored values to say where a disagreement starts.
 */
export interface WireEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The Kafka value bytes, base64. */
  readonly value: string;
  /** Hex. */
  readonly leafHash: string;
  /** Hex. */
  readonly chainHash: string;
}

/** One signed checkpoint as the ledger serves it (`GET /checkpoints`). Only `note` is signed. */
export interface WireCheckpoint {
  readonly id: number;
  readonly treeSize: number;
  /** Hex; a copy of the root in `note`, unsigned. */
  readonly rootHash: string;
  /** C2SP tlog-checkpoint signed note. */
  readonly note: string;
  readonly createdAt: string;
}

export const BUNDLE_FORMAT = 'aal-ledger-export/v1';

/** An exported log, verifiable offline: one JSON document. */
export interface LedgerBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly origin: string;
  readonly verifierKey: string;
  readonly entries: readonly WireEntry[];
  readonly checkpoints: readonly WireCheckpoint[];
}

/** A wire entry decoded into the fields that are hashed, plus the hashes the server stored. */
export interface DecodedEntry extends LedgerEntry {
  readonly value: Buffer;
  readonly storedLeafHash: Buffer;
  readonly storedChainHash: Buffer;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const HASH_HEX = /^[0-9a-fA-F]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const fail = (reason: string): Decoded<never> => ({ ok: false, reason });

/**
 * Decodes one untrusted wire entry. Refuses anything that is not exactly the documented shape
 * (including non-canonical base64, which would let two spellings stand for one value).
 */
export function decodeEntry(raw: unknown): Decoded<DecodedEntry> {
  if (!isObject(raw)) return fail('is not an object');
  const { seq, recordedAt, topic, partition, offset, headers, value, leafHash, chainHash } = raw;
  if (!isIndex(seq)) return fail('`seq` is not a non-negative integer');
  if (typeof recordedAt !== 'string') return fail('`recordedAt` is not a string');
  if (typeof topic !== 'string') return fail('`topic` is not a string');
  if (!isIndex(partition)) return fail('`partition` is not a non-negative integer');
  if (typeof offset !== 'string' || !DECIMAL.test(offset)) return fail('`offset` is not a decimal string');
  if (!isObject(headers)) return fail('`headers` is not an object');
  for (const name in headers) if (typeof headers[name] !== 'string') return fail(`header \`${name}\` is not a string`);
  if (typeof value !== 'string') return fail('`value` is not a string');
  // Buffer.from skips invalid characters and ignores padding bits; the round trip refuses both.
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return fail('`value` is not canonical base64');
  if (typeof leafHash !== 'string' || !HASH_HEX.test(leafHash)) return fail('`leafHash` is not 32 bytes of hex');
  if (typeof chainHash !== 'string' || !HASH_HEX.test(chainHash)) return fail('`chainHash` is not 32 bytes of hex');
  return {
    ok: true,
    value: {
      seq,
      recordedAt,
      topic,
      partition,
      offset,
      headers: headers as Record<string, string>,
      value: bytes,
      storedLeafHash: Buffer.from(leafHash, 'hex'),
      storedChainHash: Buffer.from(chainHash, 'hex'),
    },
  };
}

/** Checks the shape of one untrusted wire checkpoint; its note is checked later, by signature. */
export function decodeCheckpoint(raw: unknown): Decoded<WireCheckpoint> {
  if (!isObject(raw)) return fail('is not an object');
  const { id, treeSize, rootHash, note, createdAt } = raw;
  if (!isIndex(id)) return fail('`id` is not a non-negative integer');
  if (!isIndex(treeSize)) return fail('`treeSize` is not a non-negative integer');
  if (typeof rootHash !== 'string' || !HASH_HEX.test(rootHash)) return fail('`rootHash` is not 32 bytes of hex');
  if (typeof note !== 'string') return fail('`note` is not a string');
  if (typeof createdAt !== 'string') return fail('`createdAt` is not a string');
  return { ok: true, value: { id, treeSize, rootHash, note, createdAt } };
}
