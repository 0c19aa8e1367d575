import { Type } from '@sinclair/typebox';

/**
 * What the log routes answer: entries (the verifier's wire format, libs/verifier/src/wire-format.ts),
 * checkpoints, proofs and the verifier key. Closed: verifiers read every member.
 */
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'A SHA-256 hash, hex.' });
const Size = Type.Integer({ minimum: 0 });

const entryExample = {
  seq: 0,
  recordedAt: '2026-03-01T09:00:00.123Z',
  topic: 'aal.usage.v1',
  partition: 0,
  offset: '0',
  headers: { ce_id: '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', ce_type: 'output.generated', 'content-type': 'application/json' },
  value: 'eyJvdXRwdXRJZCI6Im91dC0yMDI2LTAwMDA0MiJ9',
  event: { id: '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', type: 'output.generated', data: { outputId: 'out-2026-000042' } },
  leafHash: 'ab'.repeat(32),
  chainHash: 'cd'.repeat(32),
};

export const EntryAnswer = Type.Object(
  {
    seq: Size,
    recordedAt: Type.String({ format: 'date-time', description: 'When the ledger recorded it.' }),
    topic: Type.String(),
    partition: Size,
    offset: Type.String({ pattern: '^[0-9]+$', description: 'Kafka offset, decimal (int64).' }),
    headers: Type.Record(Type.String(), Type.String(), { description: 'Kafka headers as received.' }),
    value: Type.String({ contentEncoding: 'base64', description: 'The Kafka message value, byte for byte.' }),
    event: Type.Object(
      { data: Type.Unknown({ description: 'The value as JSON (null if it is not).' }) },
      { additionalProperties: true, description: 'The event decoded for people: its CloudEvents attributes and data.' },
    ),
    leafHash: Hash,
    chainHash: Hash,
  },
  { additionalProperties: false, description: 'One log entry as recorded, with its hashes.', examples: [entryExample] },
);

export const EntryPageAnswer = Type.Object(
  {
    entries: Type.Array(EntryAnswer),
    next: Type.Union([Size, Type.Null()], { description: 'The `from` of the next page; null on the last.' }),
  },
  { additionalProperties: false, description: 'A range of entries, oldest first.', examples: [{ entries: [entryExample], next: null }] },
);

const note = `ledger.example/aal\n1\n${Buffer.alloc(32, 1).toString('base64')}\n\n— ledger.example/aal AAAAAQ==\n`;
const checkpointExample = { id: 1, treeSize: 1, rootHash: 'ab'.repeat(32), note, createdAt: '2026-03-01T09:00:01.000Z' };

export const CheckpointAnswer = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    treeSize: Size,
    rootHash: { ...Hash, description: 'A copy of the root in `note`, unsigned.' },
    note: Type.String({ description: 'The C2SP tlog-checkpoint signed note: the only signed member.' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A signed checkpoint.', examples: [checkpointExample] },
);

export const CheckpointPageAnswer = Type.Object(
  {
    checkpoints: Type.Array(CheckpointAnswer),
    next: Type.Union([Type.Integer(), Type.Null()], { description: 'The `after` of the next page; null on the last.' }),
  },
  { additionalProperties: false, description: 'Checkpoints, oldest first.', examples: [{ checkpoints: [checkpointExample], next: null }] },
);

export const CheckpointNote = Type.String({
  description: 'A C2SP signed note (tlog-checkpoint), with any witness cosignature lines.',
  examples: [note],
});

export const PublicKeyAnswer = Type.Object(
  {
    origin: Type.String({ description: 'The checkpoint origin line.' }),
    keyName: Type.String(),
    keyId: Type.String({ description: 'The key id part of the verifier key.' }),
    verifierKey: Type.String({ description: 'The C2SP signed-note verifier key to pin.' }),
    nextVerifierKey: Type.Optional(Type.String({ description: 'During a key rotation: the next key, which signs every checkpoint too.' })),
  },
  {
    additionalProperties: false,
    description: 'The checkpoint origin and verifier key.',
    examples: [
      {
        origin: 'ledger.example/aal',
        keyName: 'ledger.example/aal',
        keyId: '1a2b3c4d',
        verifierKey: 'ledger.example/aal+1a2b3c4d+AQID',
      },
    ],
  },
);

export const InclusionProofAnswer = Type.Object(
  { seq: Size, treeSize: Size, leafHash: Hash, proof: Type.Array(Hash, { description: 'RFC 9162 audit path, leaf upwards.' }) },
  {
    additionalProperties: false,
    description: 'An RFC 9162 inclusion proof.',
    examples: [{ seq: 0, treeSize: 2, leafHash: 'ab'.repeat(32), proof: ['cd'.repeat(32)] }],
  },
);

export const ConsistencyProofAnswer = Type.Object(
  { from: Size, to: Size, proof: Type.Array(Hash) },
  {
    additionalProperties: false,
    description: 'An RFC 9162 consistency proof.',
    examples: [{ from: 1, to: 2, proof: ['cd'.repeat(32)] }],
  },
);

/** A tile or an entry bundle: bytes. */
export const TileBytes = Type.String({ format: 'binary', description: 'The tile’s bytes (C2SP tlog-tiles).' });
