import { canonicalJson } from './canonical-json';
import { leafHash, sha256 } from './hashing';
import { encodeEntry, entryLeafHash, eventContentHash, GENESIS_CHAIN_HASH, nextChainHash, type LedgerEntry } from './ledger-entry';

const entry: LedgerEntry = {
  seq: 7,
  recordedAt: '2026-11-02T09:00:01.123Z',
  topic: 'aal.model-registry.events.v1',
  partition: 2,
  offset: '9007199254740993',
  headers: { 'content-type': 'application/json', ce_id: 'evt-1', ce_type: 'aal.model.registered.v1' },
  value: Buffer.from('{"modelId":"m"}', 'utf8'),
};

describe('encodeEntry', () => {
  it('given an entry, when encoded, then it is the versioned canonical JSON of every field with the value in base64', () => {
    const encoded = encodeEntry(entry).toString('utf8');
    expect(JSON.parse(encoded)).toEqual({
      v: 'aal-entry-v1',
      seq: 7,
      recordedAt: entry.recordedAt,
      topic: entry.topic,
      partition: 2,
      offset: '9007199254740993',
      headers: entry.headers,
      value: Buffer.from(entry.value).toString('base64'),
    });
    expect(encoded).toBe(canonicalJson(JSON.parse(encoded)));
  });

  it('given the same headers in another order, when encoded, then the bytes are identical', () => {
    const reordered = Object.fromEntries(Object.entries(entry.headers).reverse());
    expect(encodeEntry({ ...entry, headers: reordered })).toEqual(encodeEntry(entry));
  });

  it.each<[string, Partial<LedgerEntry>]>([
    ['seq', { seq: 8 }],
    ['recordedAt', { recordedAt: '2026-11-02T09:00:01.124Z' }],
    ['topic', { topic: 'aal.usage-events.events.v1' }],
    ['partition', { partition: 3 }],
    ['offset', { offset: '9007199254740994' }],
    ['a header value', { headers: { ...entry.headers, ce_id: 'evt-2' } }],
    ['a header name', { headers: { 'content-type': 'application/json', ce_id: 'evt-1', ce_typo: 'aal.model.registered.v1' } }],
    ['an added header', { headers: { ...entry.headers, ce_subject: 'model/m' } }],
    ['a removed header', { headers: { 'content-type': 'application/json', ce_id: 'evt-1' } }],
    ['one value byte', { value: Buffer.from('{"modelId":"n"}', 'utf8') }],
    ['the value length', { value: Buffer.from('{"modelId":"m"} ', 'utf8') }],
  ])('given a change to %s, when encoded, then the bytes and the leaf hash change', (_what, change) => {
    const changed = { ...entry, ...change };
    expect(encodeEntry(changed)).not.toEqual(encodeEntry(entry));
    expect(entryLeafHash(changed)).not.toEqual(entryLeafHash(entry));
  });

  it('given every single-byte change to the value, when encoded, then each encoding differs from the original', () => {
    const original = encodeEntry(entry);
    for (let i = 0; i < entry.value.length; i += 1) {
      const value = Buffer.from(entry.value);
      value[i] = value[i]! ^ 0x01;
      expect(encodeEntry({ ...entry, value })).not.toEqual(original);
    }
  });
});

describe('entry hashes', () => {
  it('given an entry, when its leaf hash is taken, then it is the RFC 9162 leaf hash of its encoding', () => {
    expect(entryLeafHash(entry)).toEqual(leafHash(encodeEntry(entry)));
  });

  it('given a previous chain value and a leaf, when chained, then it is SHA-256(previous || leaf)', () => {
    const leaf = entryLeafHash(entry);
    expect(nextChainHash(GENESIS_CHAIN_HASH, leaf)).toEqual(sha256(Buffer.alloc(32), leaf));
  });

  it('given the genesis chain value, then it is 32 zero bytes', () => {
    expect(GENESIS_CHAIN_HASH).toEqual(Buffer.alloc(32));
  });

  it('given the same event seen at two positions, when content-hashed, then the hash is the same (position and time are not content)', () => {
    expect(eventContentHash(entry.headers, entry.value)).toEqual(eventContentHash({ ...entry.headers }, Buffer.from(entry.value)));
  });

  it('given the same id with other content, when content-hashed, then the hash differs', () => {
    expect(eventContentHash(entry.headers, Buffer.from('{"modelId":"forged"}'))).not.toEqual(eventContentHash(entry.headers, entry.value));
    expect(eventContentHash({ ...entry.headers, ce_type: 'aal.model.registered.v2' }, entry.value)).not.toEqual(
      eventContentHash(entry.headers, entry.value),
    );
  });
});

describe('encodeEntry fast path', () => {
  it('is byte-identical to the canonical JSON definition for any entry', () => {
    const fc = require('fast-check') as typeof import('fast-check');
    const { encodeEntry: encode, canonicalEntryJson } = require('./ledger-entry') as typeof import('./ledger-entry');
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          recordedAt: fc.string({ unit: 'binary' }),
          topic: fc.string({ unit: 'binary' }),
          partition: fc.nat(),
          offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
          headers: fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })),
          value: fc.uint8Array({ maxLength: 300 }),
        }),
        (entry) => encode(entry).toString('utf8') === canonicalEntryJson(entry),
      ),
      { numRuns: 500 },
    );
  });
});

describe('entryLeafHash', () => {
  it('is the RFC 9162 leaf hash of the encoded entry bytes', () => {
    const fc = require('fast-check') as typeof import('fast-check');
    const { encodeEntry: encode, entryLeafHash: leaf } = require('./ledger-entry') as typeof import('./ledger-entry');
    const { leafHash: rfcLeaf } = require('./hashing') as typeof import('./hashing');
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          recordedAt: fc.string({ unit: 'grapheme' }),
          topic: fc.string(),
          partition: fc.nat(),
          offset: fc.nat().map(String),
          headers: fc.dictionary(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })),
          value: fc.uint8Array({ maxLength: 200 }),
        }),
        (entry) => leaf(entry).equals(rfcLeaf(encode(entry))),
      ),
      { numRuns: 300 },
    );
  });
});
