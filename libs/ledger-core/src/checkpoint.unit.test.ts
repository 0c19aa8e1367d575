import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { thrownBy } from '@aal/testing/unit';
import { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint';
import { leafHash } from './hashing';
import { buildInclusionProof, MerkleAccumulator, nodeKey, verifyInclusion } from './merkle';
import { ed25519KeyId, ed25519Signer, NoteError, openNote, signNote, type NoteSigner } from './signed-note';

// The example checkpoint of c2sp.org/tlog-checkpoint. Its verifier key is not published, so it
// is used for the body format and the note syntax only.
const C2SP_EXAMPLE_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const C2SP_EXAMPLE_NOTE = `${C2SP_EXAMPLE_BODY}\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n`;

const ORIGIN = 'ledger.example/aal/log';
const newSigner = (name: string): NoteSigner => ed25519Signer(name, generateKeyPairSync('ed25519').privateKey);
const verifierOf = (s: NoteSigner) => ({ name: s.name, keyId: ed25519KeyId(s.name, s.publicKey), publicKey: s.publicKey });
const LOG = newSigner(ORIGIN);
const WITNESS = newSigner('witness.example/w1');
const ROOT = Buffer.from('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 'hex');
const CHECKPOINT: Checkpoint = { origin: ORIGIN, size: 42, rootHash: ROOT, extensions: [] };

describe('checkpoint body', () => {
  it('given a checkpoint, when formatted, then it is origin, size and base64 root, one per line', () => {
    expect(formatCheckpoint(CHECKPOINT)).toBe(`${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`);
    expect(formatCheckpoint({ ...CHECKPOINT, extensions: ['ext one', 'ext two'] })).toBe(
      `${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\next one\next two\n`,
    );
  });

  it('given the C2SP example, when its body is parsed, then origin, size and a 32-byte root come out', () => {
    const cp = parseCheckpoint(C2SP_EXAMPLE_BODY);
    expect(cp).toEqual({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      rootHash: Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'),
      extensions: [],
    });
    expect(formatCheckpoint(cp)).toBe(C2SP_EXAMPLE_BODY);
  });

  it('given the C2SP example note, when opened without its key, then it is well formed but untrusted', () => {
    const error = thrownBy(NoteError, () => openNote(C2SP_EXAMPLE_NOTE, [verifierOf(LOG)]));
    expect(error.code).toBe('NOTE.NO_TRUSTED_SIGNATURE');
    expect(error.evidence['signatures']).toEqual([{ name: 'example.com/behind-the-sofa', keyId: '033de0ae' }]);
  });

  it('given any valid checkpoint, when formatted and parsed, then it round-trips', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !/[\u0000-\u001f]/.test(s));
    fc.assert(
      fc.property(
        line,
        fc.maxSafeNat(),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, root, extensions) => {
          const cp: Checkpoint = { origin, size, rootHash: Buffer.from(root), extensions };
          expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
        },
      ),
    );
  });

  it.each([
    ['no final newline', `${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=`],
    ['only two lines', `${ORIGIN}\n42\n`],
    ['an empty origin', '\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n'],
    ['a leading zero', `${ORIGIN}\n042\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
    ['a plus sign', `${ORIGIN}\n+42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
    ['a negative size', `${ORIGIN}\n-1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
    ['an exponent', `${ORIGIN}\n1e3\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
    ['a size of 2^53', `${ORIGIN}\n9007199254740992\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
    ['a 31-byte root', `${ORIGIN}\n42\n${Buffer.alloc(31).toString('base64')}\n`],
    ['a 33-byte root', `${ORIGIN}\n42\n${Buffer.alloc(33).toString('base64')}\n`],
    ['a root without padding', `${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0\n`],
    ['a root with non-zero padding bits', `${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB1=\n`],
    ['a URL-safe base64 root', `${ORIGIN}\n42\nbjQLnP-zepicpUTmu3gKLHiQHT-zNzh2hRGjBhevoB0=\n`],
    ['an empty extension line', `${ORIGIN}\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n`],
    ['a carriage return', `${ORIGIN}\r\n42\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n`],
  ])('given a body with %s, when parsed, then it is malformed', (_, body) => {
    const error = thrownBy(NoteError, () => parseCheckpoint(body));
    expect(error.code).toBe('CHECKPOINT.MALFORMED');
    expect(error.evidence).toMatchObject({ body, reason: expect.any(String) });
  });

  it.each([
    ['an empty origin', { ...CHECKPOINT, origin: '' }],
    ['an origin with a newline', { ...CHECKPOINT, origin: 'a\nb' }],
    ['a negative size', { ...CHECKPOINT, size: -1 }],
    ['a fractional size', { ...CHECKPOINT, size: 1.5 }],
    ['an unsafe size', { ...CHECKPOINT, size: 2 ** 53 }],
    ['a 31-byte root', { ...CHECKPOINT, rootHash: Buffer.alloc(31) }],
    ['an empty extension', { ...CHECKPOINT, extensions: [''] }],
    ['an extension with a newline', { ...CHECKPOINT, extensions: ['a\nb'] }],
  ])('given a checkpoint with %s, when formatted, then it is refused', (_, cp) => {
    expect(thrownBy(NoteError, () => formatCheckpoint(cp)).code).toBe('CHECKPOINT.MALFORMED');
  });
});

describe('signed checkpoints', () => {
  it('given a checkpoint signed by the log, when verified with the log key and origin, then it comes back', () => {
    const note = signCheckpoint(CHECKPOINT, LOG);
    expect(note).toBe(signNote(formatCheckpoint(CHECKPOINT), [LOG]));
    expect(verifyCheckpoint(note, verifierOf(LOG), ORIGIN)).toEqual(CHECKPOINT);
    expect(verifyCheckpoint(note, verifierOf(LOG))).toEqual(CHECKPOINT);
  });

  it('given a checkpoint cosigned by a witness, when verified with the log key, then the cosignature is ignored', () => {
    const note = signNote(formatCheckpoint(CHECKPOINT), [LOG, WITNESS]);
    expect(verifyCheckpoint(note, verifierOf(LOG), ORIGIN)).toEqual(CHECKPOINT);
  });

  it('given a checkpoint of another log, when verified against the expected origin, then the mismatch names both', () => {
    const other = newSigner('other.example/log');
    const note = signCheckpoint({ ...CHECKPOINT, origin: 'other.example/log' }, other);
    const error = thrownBy(NoteError, () => verifyCheckpoint(note, verifierOf(other), ORIGIN));
    expect(error.code).toBe('CHECKPOINT.ORIGIN_MISMATCH');
    expect(error.evidence).toMatchObject({ expected: ORIGIN, actual: 'other.example/log' });
  });

  it('given a checkpoint signed by another key, when verified with the log key, then no trusted signature is found', () => {
    const note = signCheckpoint(CHECKPOINT, newSigner(ORIGIN));
    expect(thrownBy(NoteError, () => verifyCheckpoint(note, verifierOf(LOG), ORIGIN)).code).toBe('NOTE.NO_TRUSTED_SIGNATURE');
  });

  it('given a signed checkpoint, when the size, root or an extension is altered, then the signature fails', () => {
    const note = signCheckpoint({ ...CHECKPOINT, extensions: ['ext'] }, LOG);
    for (const forged of [note.replace('\n42\n', '\n43\n'), note.replace('bjQL', 'bjQM'), note.replace('\next\n', '\nexu\n')]) {
      expect(forged).not.toBe(note);
      expect(thrownBy(NoteError, () => verifyCheckpoint(forged, verifierOf(LOG), ORIGIN)).code).toBe('NOTE.BAD_SIGNATURE');
    }
  });

  it('given a well-signed note whose body is not a checkpoint, when verified, then it is malformed', () => {
    const note = signNote('just a note\n', [LOG]);
    expect(thrownBy(NoteError, () => verifyCheckpoint(note, verifierOf(LOG))).code).toBe('CHECKPOINT.MALFORMED');
  });

  it('given a log that signs its tree head, when a client verifies the checkpoint, then an inclusion proof checks against its root', () => {
    const accumulator = new MerkleAccumulator();
    const nodes = new Map<string, Buffer>();
    const leaves = Array.from({ length: 21 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    for (const leaf of leaves) for (const n of accumulator.append(leaf)) nodes.set(nodeKey(n.id), n.hash);
    const note = signCheckpoint({ origin: ORIGIN, size: accumulator.size, rootHash: accumulator.root(), extensions: [] }, LOG);

    const cp = verifyCheckpoint(note, verifierOf(LOG), ORIGIN);
    expect(() => verifyInclusion(leaves[13]!, 13, cp.size, buildInclusionProof(13, cp.size, nodes), cp.rootHash)).not.toThrow();
  });
});
