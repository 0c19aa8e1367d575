import type { LedgerEntry } from '@aal/ledger-core';

/**
 * One log entry as the ledger serves it (`GET /entries`) and as an export bundle carries it. The
 * stored `leafHash` and `chainHash` are what the server claims; a verifier recomputes both from
 * the raw fields and only uses the stored values to say where a disagreement starts.
 */
export interface WireEntry extends Omit<LedgerEntry, 'value'> {
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
  const content = decodeEntryContent(raw);
  if (!content.ok) return content;
  const { leafHash, chainHash } = raw as Record<string, unknown>;
  if (typeof leafHash !== 'string' || !HASH_HEX.test(leafHash)) return fail('`leafHash` is not 32 bytes of hex');
  if (typeof chainHash !== 'string' || !HASH_HEX.test(chainHash)) return fail('`chainHash` is not 32 bytes of hex');
  return {
    ok: true,
    value: { ...content.value, storedLeafHash: Buffer.from(leafHash, 'hex'), storedChainHash: Buffer.from(chainHash, 'hex') },
  };
}

/** The hashed fields of an untrusted wire entry (everything but the stored hashes), strictly decoded. */
export function decodeEntryContent(raw: unknown): Decoded<LedgerEntry & { readonly value: Buffer }> {
  if (!isObject(raw)) return fail('is not an object');
  const { seq, recordedAt, topic, partition, offset, headers, value } = raw;
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
  return { ok: true, value: { seq, recordedAt, topic, partition, offset, headers: headers as Record<string, string>, value: bytes } };
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

/**
 * The case export's format: v2 writes a value the answers share once, in `shared` (see
 * @aal/accountability shareAnswerValues); v1 (still verified) repeats it in every answer.
 */
export const CASE_BUNDLE_FORMAT = 'aal-case-export/v2';
export const CASE_BUNDLE_FORMATS: readonly string[] = ['aal-case-export/v1', CASE_BUNDLE_FORMAT];

/**
 * JSON text with every character outside ASCII written as a `\uXXXX` escape: the same JSON value
 * as JSON.stringify gives, in bytes that decode as ASCII. A reader's UTF-8 decoding and parsing of
 * a large export are several times faster on ASCII text (V8 keeps it one byte per character), and
 * the report's punctuation alone would otherwise make the whole file two bytes per character.
 */
export function asciiJson(value: unknown): string {
  if (!isPlainObject(value)) return asciiText(JSON.stringify(value));
  // Member by member: one character beyond ASCII (the em dash of every checkpoint note's signature
  // line) would otherwise make the whole text two bytes per character and scanned for escapes.
  const members: string[] = [];
  for (const key in value) {
    const text = JSON.stringify(value[key]);
    if (text !== undefined) members.push(`${asciiText(JSON.stringify(key))}:${asciiText(text)}`);
  }
  return `{${members.join(',')}}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) &&
  !('toJSON' in v);

/** JSON text with each character beyond ASCII escaped; ASCII text (the usual case, checked natively) as it is. */
const asciiText = (text: string): string =>
  Buffer.byteLength(text, 'utf8') === text.length
    ? text
    : text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** One entry of a case bundle: the raw entry, its leaf hash, and its inclusion proof against the bundle's checkpoint. */
export interface CaseBundleEntry extends Omit<WireEntry, 'chainHash'> {
  /** RFC 9162 inclusion proof of leaf `seq` in the checkpoint's tree, hex hashes. */
  readonly inclusionProof: readonly string[];
}

/** A finding as a case bundle states it: a fact with the ledger entries that prove it. */
export interface CaseFinding {
  /** The output it concerns, when it concerns one. */
  readonly outputId?: string;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly evidence: readonly number[];
}

/**
 * An investigation case exported for offline checking: only the entries related to the case
 * (not the whole log), each with an inclusion proof against one signed checkpoint. Verifiable
 * parts: `checkpoint` (signed note, checked with the pinned key) and `entries` (leaf recomputed,
 * proof checked against the signed root). Everything else is the ledger's reading of those
 * entries (claims): a verifier only checks that every `evidence` seq it cites is a verified entry
 * and that `case` agrees with the case's own `case.opened` entry when the bundle holds it.
 */
export interface CaseBundle {
  readonly format: typeof CASE_BUNDLE_FORMAT;
  /** Values written once for the answers that share them, each referred to by `{ "$shared": <index> }` in `accountability`. */
  readonly shared: readonly unknown[];
  /** Announced by the ledger; a verifier uses the pinned key and origin instead. */
  readonly origin: string;
  readonly verifierKey: string;
  /**
   * Producers' event-signing public keys, when the ledger is configured with them (event
   * signatures are a later issue): `[{ producer, key }]`. Empty until then; not checked yet.
   */
  readonly eventSigningKeys: ReadonlyArray<{ readonly producer: string; readonly key: string }>;
  readonly exportedAt: string;
  readonly checkpoint: WireCheckpoint;
  /** Ascending by seq, each below `checkpoint.treeSize`. */
  readonly entries: readonly CaseBundleEntry[];
  /** Related entries recorded after the checkpoint: named, not included (they cannot be proven yet). */
  readonly notCovered: readonly number[];
  readonly case: { readonly caseId: string } & Readonly<Record<string, unknown>>;
  /** The accountability answer per output (claims; every `evidence` seq must be an included entry), shared values by reference. */
  readonly accountability: ReadonlyArray<{ readonly outputId: string } & Readonly<Record<string, unknown>>>;
  readonly findings: readonly CaseFinding[];
  /**
   * The case's safety recommendations and their findings at `exportedAt` (@aal/accountability's
   * caseRecommendations over the bundle's entries): a verifier recomputes them. Absent in bundles
   * exported before recommendations existed.
   */
  readonly recommendations?: unknown;
  /** The printable report of the case, self-contained HTML. */
  readonly report: { readonly mediaType: 'text/html'; readonly html: string };
}
