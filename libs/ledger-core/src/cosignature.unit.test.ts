import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { thrownBy } from '@aal/testing/unit';
import { formatCheckpoint, signCheckpoint } from './checkpoint';
import {
  appendSignatureLines,
  checkCosignatures,
  cosignatureKeyId,
  cosignCheckpoint,
  cosignedMessage,
  parseWitnessVerifierKey,
  witnessVerifierKeyString,
} from './cosignature';
import { ed25519Signer, NoteError, parseNote, verifierKeyString, type NoteSigner } from './signed-note';

// ---- published vectors -------------------------------------------------------------------------
// transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier): a native
// cosignature/v1 (type 0x04) verifier key; its key ID is derived with the 0x04 type byte.
const REMORA_KEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
// Same file (TestCoSigV1Timestamp): a cosignature/v1 signature (key ID, timestamp, signature)
// whose timestamp is 1727964367, and an Ed25519 (0x01) note signature that is not a cosignature.
const FORMATS_COSIGNATURE = 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==';
const FORMATS_NOTE_SIGNATURE = 'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=';
// C2SP tlog-cosignature.md, the example cosigned checkpoint: the witness line's timestamp is the
// `time 1679315147` of the spec's example signed message.
const SPEC_NOTE =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

const newSigner = (name: string): NoteSigner => ed25519Signer(name, generateKeyPairSync('ed25519').privateKey);
const witnessKeyOf = (s: NoteSigner) => parseWitnessVerifierKey(witnessVerifierKeyString(s.name, s.publicKey));
const LOG = newSigner('ledger.example/log');
const WITNESS = newSigner('regulator.example/witness');
const OTHER = newSigner('body.example/witness');
const checkpointNote = (size: number, fill = 1) =>
  signCheckpoint({ origin: LOG.name, size, rootHash: Buffer.alloc(32, fill), extensions: [] }, LOG);
const bodyOf = (note: string) => parseNote(note).body;

describe('published cosignature vectors', () => {
  it('given the transparency-dev/formats remora key, when parsed, then its key ID is the 0x04-typed hash of name and key', () => {
    const key = parseWitnessVerifierKey(REMORA_KEY);
    expect(key.keyId.toString('hex')).toBe('da77ade7');
    const reference = createHash('sha256').update('remora.n621.de\n').update(Buffer.of(0x04)).update(key.publicKey).digest().subarray(0, 4);
    expect(cosignatureKeyId(key.name, key.publicKey)).toEqual(reference);
    expect(witnessVerifierKeyString(key.name, key.publicKey)).toBe(REMORA_KEY);
  });

  it('given the formats cosignature, when split, then after the key ID come the big-endian timestamp 1727964367 and 64 signature bytes', () => {
    const bytes = Buffer.from(FORMATS_COSIGNATURE, 'base64');
    expect(bytes.length).toBe(4 + 8 + 64);
    expect(Number(bytes.readBigUInt64BE(4))).toBe(1727964367);
    expect(Buffer.from(FORMATS_NOTE_SIGNATURE, 'base64').length).toBe(4 + 64);
  });

  it('given the C2SP example note, when its witness line is read, then the timestamp is the spec example time 1679315147', () => {
    const { signatures } = parseNote(SPEC_NOTE);
    const witness = signatures.find((s) => s.name === 'witness.example.com/w1')!;
    expect(witness.signature.length).toBe(72);
    expect(Number(witness.signature.readBigUInt64BE(0))).toBe(1679315147);
  });

  it('given the C2SP example, when the signed message is built, then it is the header lines followed by the checkpoint body', () => {
    expect(cosignedMessage(bodyOf(SPEC_NOTE), 1679315147).toString('utf8')).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });
});

describe('witness keys', () => {
  it('given a log key (type 0x01), when parsed as a witness key, then it is refused by name', () => {
    const e = thrownBy(NoteError, () => parseWitnessVerifierKey(verifierKeyString(LOG.name, LOG.publicKey)));
    expect(e.code).toBe('NOTE.BAD_VERIFIER_KEY');
    expect(e.message).toContain('log key');
  });

  it.each([
    ['wrong number of parts', 'w+12345678'],
    ['bad base64', 'w+12345678+NOT_BASE64!'],
    ['wrong key ID', REMORA_KEY.replace('da77ade7', '00000000')],
    ['short key', 'w+12345678+BAEC'],
  ])('given a witness key with %s, when parsed, then it is refused', (_, key) => {
    expect(thrownBy(NoteError, () => parseWitnessVerifierKey(key)).code).toBe('NOTE.BAD_VERIFIER_KEY');
  });
});

describe('cosigning a checkpoint', () => {
  it('given a log checkpoint, when the witness cosigns it, then the appended line verifies with the timestamp given', () => {
    const note = checkpointNote(10);
    const cosigned = appendSignatureLines(note, [cosignCheckpoint(bodyOf(note), WITNESS, 1700000000)]);
    const result = checkCosignatures(cosigned, [witnessKeyOf(WITNESS)]);
    expect(result.valid).toEqual([
      { name: WITNESS.name, keyId: cosignatureKeyId(WITNESS.name, WITNESS.publicKey).toString('hex'), timestamp: 1700000000 },
    ]);
    expect(result.bad).toEqual([]);
  });

  it('given a cosignature for one checkpoint, when it is stapled to another, then it is reported bad, not counted', () => {
    const a = checkpointNote(10, 1);
    const b = checkpointNote(10, 2);
    const line = cosignCheckpoint(bodyOf(a), WITNESS, 1700000000);
    const result = checkCosignatures(appendSignatureLines(b, [line]), [witnessKeyOf(WITNESS)]);
    expect(result.valid).toEqual([]);
    expect(result.bad).toEqual([expect.objectContaining({ name: WITNESS.name, reason: expect.stringContaining('does not verify') })]);
  });

  it('given a witness key, when an ordinary Ed25519 note signature by the same key is on the note, then it does not count as a cosignature', () => {
    const note = checkpointNote(10);
    // Same name and key, but key ID type 0x01: a different key ID, so the line is not the witness's.
    const plain = ed25519Signer(WITNESS.name, generateKeyPairSync('ed25519').privateKey);
    const signedByPlain = appendSignatureLines(note, [
      signCheckpoint({ origin: LOG.name, size: 10, rootHash: Buffer.alloc(32, 1), extensions: [] }, plain).split('\n\n')[1]!,
    ]);
    expect(checkCosignatures(signedByPlain, [witnessKeyOf(WITNESS)]).valid).toEqual([]);
  });

  it('given a body that is not a checkpoint, when cosigned, then it is refused', () => {
    expect(thrownBy(NoteError, () => cosignCheckpoint('hello\n', WITNESS, 1)).code).toBe('CHECKPOINT.MALFORMED');
  });

  it('given several witnesses, when each cosigns, then each verifies independently and unknown ones are ignored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 1000 }), (timestamp, size) => {
        const note = checkpointNote(size);
        const body = bodyOf(note);
        const cosigned = appendSignatureLines(note, [
          cosignCheckpoint(body, WITNESS, timestamp),
          cosignCheckpoint(body, OTHER, timestamp + 1),
        ]);
        expect(checkCosignatures(cosigned, [witnessKeyOf(WITNESS)]).valid.map((v) => v.timestamp)).toEqual([timestamp]);
        expect(checkCosignatures(cosigned, [witnessKeyOf(WITNESS), witnessKeyOf(OTHER)]).valid).toHaveLength(2);
      }),
      { numRuns: 25 },
    );
  });

  it('given any single-bit change to the cosignature bytes, when checked, then it is bad', () => {
    const note = checkpointNote(7);
    const line = cosignCheckpoint(bodyOf(note), WITNESS, 1700000000);
    const [prefix, encoded] = [line.slice(0, line.lastIndexOf(' ') + 1), line.slice(line.lastIndexOf(' ') + 1, -1)];
    fc.assert(
      fc.property(fc.integer({ min: 4 * 8, max: 76 * 8 - 1 }), (bit) => {
        const bytes = Buffer.from(encoded, 'base64');
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const result = checkCosignatures(`${note}${prefix}${bytes.toString('base64')}\n`, [witnessKeyOf(WITNESS)]);
        expect(result.valid).toEqual([]);
        expect(result.bad).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  it('given a cosigned note, when the same line is appended twice, then it appears once', () => {
    const note = checkpointNote(3);
    const line = cosignCheckpoint(bodyOf(note), WITNESS, 5);
    expect(appendSignatureLines(appendSignatureLines(note, [line]), [line])).toBe(note + line);
    expect(formatCheckpoint({ origin: LOG.name, size: 3, rootHash: Buffer.alloc(32, 1), extensions: [] })).toBe(bodyOf(note));
  });
});
