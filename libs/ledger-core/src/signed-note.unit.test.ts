import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { thrownBy } from '@aal/testing/unit';
import {
  ed25519KeyId,
  ed25519Signer,
  NoteError,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKeyString,
  type NoteSigner,
} from './signed-note';

// ---- published vectors -------------------------------------------------------------------------
// golang.org/x/mod/sumdb/note (note.go package doc and note_test.go TestSign/TestOpen): the
// PeterNeumann signer key (seed included, so Ed25519's determinism lets us reproduce the exact
// note), its verifier key, and an EnochRoot cosignature over the same text.
const PETER_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VERIFIER_KEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const PETER_NOTE = `${TEXT}\n${PETER_SIG}`;
// transparency-dev/formats note/note_cosigv1_test.go: a valid Ed25519 (0x01) verifier key whose
// base64 contains "+", and a valid key of type 0x04 (cosignature/v1), which we do not support.
const PLUS_VERIFIER_KEY = 'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6';
const COSIGNATURE_V1_KEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';

/** An Ed25519 private KeyObject from a Go signer key string (PKCS#8 prefix + 32-byte seed). */
function keyFromGoSignerKey(skey: string): KeyObject {
  const seed = Buffer.from(skey.split('+').slice(4).join('+'), 'base64').subarray(1);
  return createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

// ---- test keys -------------------------------------------------------------------------------------

function newSigner(name: string): NoteSigner {
  return ed25519Signer(name, generateKeyPairSync('ed25519').privateKey);
}
const verifierOf = (s: NoteSigner) => ({ name: s.name, keyId: ed25519KeyId(s.name, s.publicKey), publicKey: s.publicKey });

const LOG = newSigner('ledger.example/log');
const WITNESS = newSigner('witness.example/w1');
const BODY = 'ledger.example/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

// ---- published vectors -----------------------------------------------------------------------------

describe('golang.org/x/mod/sumdb/note vectors', () => {
  it('given the PeterNeumann key, when the text is signed, then the note is byte for byte the published one', () => {
    const signer = ed25519Signer('PeterNeumann', keyFromGoSignerKey(PETER_SIGNER_KEY));
    expect(verifierKeyString(signer.name, signer.publicKey)).toBe(PETER_VERIFIER_KEY);
    expect(ed25519KeyId(signer.name, signer.publicKey).toString('hex')).toBe('c74f20a3');
    expect(signNote(TEXT, [signer])).toBe(PETER_NOTE);
  });

  it('given the published note, when opened with the PeterNeumann verifier key, then it verifies', () => {
    expect(openNote(PETER_NOTE, [parseVerifierKey(PETER_VERIFIER_KEY)])).toEqual({ body: TEXT, verifiedBy: ['PeterNeumann'] });
  });

  it('given the doubly signed note, when opened with either or both keys, then the others are ignored and the trusted ones listed', () => {
    const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const [peter, enoch] = [parseVerifierKey(PETER_VERIFIER_KEY), parseVerifierKey(ENOCH_VERIFIER_KEY)];
    expect(openNote(note, [peter]).verifiedBy).toEqual(['PeterNeumann']);
    expect(openNote(note, [enoch]).verifiedBy).toEqual(['EnochRoot']);
    expect(openNote(note, [enoch, peter]).verifiedBy).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(thrownBy(NoteError, () => openNote(note, [])).code).toBe('NOTE.NO_TRUSTED_SIGNATURE');
  });

  it('given the published note with 4 characters inserted in the signature, when opened, then the bad signature is reported', () => {
    const note = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    const error = thrownBy(NoteError, () => openNote(note, [parseVerifierKey(PETER_VERIFIER_KEY)]));
    expect(error.code).toBe('NOTE.BAD_SIGNATURE');
    expect(error.evidence).toMatchObject({ name: 'PeterNeumann', keyId: 'c74f20a3', line: 1, body: TEXT });
  });

  it.each([
    ['no signature block', TEXT],
    ['a blank line but no signatures', `${TEXT}\n`],
    ['a signature line without its newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\x01${TEXT}\n${PETER_SIG}`],
    [
      'a name with a space',
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ],
    ['a line after the signatures', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['a hyphen instead of the em dash', `${TEXT}\n${PETER_SIG.replace('—', '-')}`],
    ['an en dash instead of the em dash', `${TEXT}\n${PETER_SIG.replace('—', '–')}`],
    ['no space after the em dash', `${TEXT}\n${PETER_SIG.replace('— ', '—')}`],
    ['bad base64', `${TEXT}\n${PETER_SIG.replace('x08go', 'x08g!')}`],
    ['base64 without padding', `${TEXT}\n${PETER_SIG.replace('=\n', '\n')}`],
    ['a signature of only a key ID', `${TEXT}\n— PeterNeumann x08gow==\n`],
    ['101 signatures', `${TEXT}\n${PETER_SIG.repeat(101)}`],
  ])('given a note with %s, when opened, then it is malformed', (_, note) => {
    const error = thrownBy(NoteError, () => openNote(note, [parseVerifierKey(PETER_VERIFIER_KEY)]));
    expect(error.code).toBe('NOTE.MALFORMED');
    expect(typeof error.evidence['reason']).toBe('string');
  });
});

describe('verifier keys', () => {
  it('given published Ed25519 verifier keys, when parsed and formatted again, then they round-trip exactly', () => {
    for (const text of [PETER_VERIFIER_KEY, ENOCH_VERIFIER_KEY, PLUS_VERIFIER_KEY]) {
      const key = parseVerifierKey(text);
      expect(key.publicKey).toHaveLength(32);
      expect(key.keyId).toEqual(ed25519KeyId(key.name, key.publicKey));
      expect(verifierKeyString(key.name, key.publicKey)).toBe(text);
    }
  });

  it('given generated keys, when formatted and parsed, then the name, key ID and key come back', () => {
    for (const signer of [LOG, WITNESS, newSigner('x'), newSigner('例え.example/ログ')]) {
      expect(parseVerifierKey(verifierKeyString(signer.name, signer.publicKey))).toEqual(verifierOf(signer));
    }
  });

  it.each([
    [
      'a wrong algorithm byte (Go test, key ID adjusted)',
      'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      /algorithm/,
    ],
    ['a cosignature/v1 (0x04) key', COSIGNATURE_V1_KEY, /algorithm byte 0x04/],
    [
      'a wrong key length (Go test; its base64 also has non-zero padding bits)',
      'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
      /base64/,
    ],
    ['a 31-byte key with a derived key ID', shortKey(), /31 bytes, not 32/],
    ['a wrong key ID', PETER_VERIFIER_KEY.replace('c74f20a3', 'c74f20a4'), /key ID c74f20a4 is not c74f20a3/],
    ['a key ID of another name', PETER_VERIFIER_KEY.replace('PeterNeumann', 'PeterNeuman'), /derived from name and key/],
    ['a short key ID', 'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /8 hex digits/],
    ['a trailing newline', `${PETER_VERIFIER_KEY}\n`, /base64/],
    ['only two parts', 'bananas.sigstore.dev+12344556', /expected/],
    ['invalid base64', 'rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!', /base64/],
    ['an empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', /key name/],
  ])('given a verifier key with %s, when parsed, then it is rejected with the reason', (_, text, reason) => {
    const error = thrownBy(NoteError, () => parseVerifierKey(text));
    expect(error.code).toBe('NOTE.BAD_VERIFIER_KEY');
    expect(error.evidence).toEqual({ key: text, reason: expect.stringMatching(reason) });
  });

  it('given the published key, when any proper substring or any single character is changed, then it is rejected (Go TestNewVerifier)', () => {
    const problems: string[] = [];
    for (let i = 0; i <= PETER_VERIFIER_KEY.length; i++) {
      for (let j = i + 1; j <= PETER_VERIFIER_KEY.length; j++) {
        const text = PETER_VERIFIER_KEY.slice(i, j);
        if (text !== PETER_VERIFIER_KEY && rejected(text) !== 'NOTE.BAD_VERIFIER_KEY') problems.push(text);
      }
    }
    for (let i = 0; i < PETER_VERIFIER_KEY.length; i++) {
      const text =
        PETER_VERIFIER_KEY.slice(0, i) + String.fromCharCode(PETER_VERIFIER_KEY.charCodeAt(i) + 1) + PETER_VERIFIER_KEY.slice(i + 1);
      if (rejected(text) !== 'NOTE.BAD_VERIFIER_KEY') problems.push(text);
    }
    expect(problems).toEqual([]);
  });

  it('given an invalid name or key size, when formatting a verifier key, then it is refused', () => {
    expect(thrownBy(NoteError, () => verifierKeyString('a+b', LOG.publicKey)).code).toBe('NOTE.BAD_VERIFIER_KEY');
    expect(thrownBy(NoteError, () => verifierKeyString('a b', LOG.publicKey)).code).toBe('NOTE.BAD_VERIFIER_KEY');
    expect(thrownBy(NoteError, () => verifierKeyString('ok', LOG.publicKey.subarray(1))).code).toBe('NOTE.BAD_VERIFIER_KEY');
  });
});

/** A verifier key for the first 31 bytes of Peter's key, with the key ID derived as for 32. */
function shortKey(): string {
  const key = parseVerifierKey(PETER_VERIFIER_KEY).publicKey.subarray(0, 31);
  const keyId = ed25519KeyId('PeterNeumann', key).toString('hex');
  return `PeterNeumann+${keyId}+${Buffer.concat([Buffer.of(0x01), key]).toString('base64')}`;
}

function rejected(text: string): string {
  try {
    parseVerifierKey(text);
    return 'accepted';
  } catch (e) {
    return e instanceof NoteError ? e.code : String(e);
  }
}

// ---- signing and opening ---------------------------------------------------------------------------

describe('signNote and openNote', () => {
  it('given a body signed by the log, when opened with the log key, then the body comes back', () => {
    const note = signNote(BODY, [LOG]);
    expect(note.startsWith(`${BODY}\n— ${LOG.name} `)).toBe(true);
    expect(openNote(note, [verifierOf(LOG)])).toEqual({ body: BODY, verifiedBy: [LOG.name] });
  });

  it('given any single-line texts, when signed and opened, then the body round-trips', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\u0000-\u001f]/.test(s));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const body = lines.map((l) => `${l}\n`).join('');
        expect(openNote(signNote(body, [LOG]), [verifierOf(LOG)]).body).toBe(body);
      }),
      { numRuns: 50 },
    );
  });

  it('given a log signature and a witness cosignature, when opened with only the log key, then the unknown signature is ignored', () => {
    const note = signNote(BODY, [LOG, WITNESS]);
    expect(openNote(note, [verifierOf(LOG)]).verifiedBy).toEqual([LOG.name]);
    expect(openNote(note, [verifierOf(WITNESS), verifierOf(LOG)]).verifiedBy).toEqual([LOG.name, WITNESS.name]);
  });

  it('given a signature by another key under the same name, when opened, then no trusted signature is found', () => {
    const impostor = newSigner(LOG.name);
    const error = thrownBy(NoteError, () => openNote(signNote(BODY, [impostor]), [verifierOf(LOG)]));
    expect(error.code).toBe('NOTE.NO_TRUSTED_SIGNATURE');
    expect(error.evidence).toEqual({
      signatures: [{ name: LOG.name, keyId: verifierOf(impostor).keyId.toString('hex') }],
      trusted: [{ name: LOG.name, keyId: verifierOf(LOG).keyId.toString('hex') }],
      body: BODY,
    });
  });

  it('given a signed note, when any single byte of the body changes, then it no longer opens', () => {
    const note = signNote(BODY, [LOG]);
    const bytes = Buffer.from(note, 'utf8');
    const bodyLength = Buffer.byteLength(BODY);
    fc.assert(
      fc.property(fc.nat(bodyLength - 1), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const changed = Buffer.from(bytes);
        changed[at] = (changed[at]! + delta) % 256;
        const error = thrownBy(NoteError, () => openNote(changed.toString('utf8'), [verifierOf(LOG)]));
        expect(['NOTE.BAD_SIGNATURE', 'NOTE.MALFORMED']).toContain(error.code);
      }),
      { numRuns: 300 },
    );
  });

  it('given a signed note, when any single character of the signature changes, then it no longer opens', () => {
    const note = signNote(BODY, [LOG]);
    const start = note.lastIndexOf(' ') + 1;
    const end = note.length - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!';
    const problems: string[] = [];
    for (let at = start; at < end; at++) {
      for (const c of alphabet) {
        if (c === note[at]) continue;
        const changed = note.slice(0, at) + c + note.slice(at + 1);
        try {
          openNote(changed, [verifierOf(LOG)]);
          problems.push(`position ${at} → ${c} accepted`);
        } catch (e) {
          if (!(e instanceof NoteError)) throw e;
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('given a tampered body, when opened, then the error carries the key, the signature and the body it checked', () => {
    const note = signNote(BODY, [LOG]).replace('\n42\n', '\n43\n');
    const error = thrownBy(NoteError, () => openNote(note, [verifierOf(LOG)]));
    expect(error.code).toBe('NOTE.BAD_SIGNATURE');
    expect(error.evidence).toMatchObject({
      name: LOG.name,
      keyId: verifierOf(LOG).keyId.toString('hex'),
      publicKey: LOG.publicKey.toString('hex'),
      body: BODY.replace('\n42\n', '\n43\n'),
      line: 1,
    });
  });

  it('given a valid log signature and a broken one by a trusted witness, when opened, then the whole note is rejected', () => {
    const good = signNote(BODY, [LOG]);
    const witnessLine = signNote(`${BODY}x\n`, [WITNESS]).split('\n\n')[1]!;
    const error = thrownBy(NoteError, () => openNote(good + witnessLine, [verifierOf(LOG), verifierOf(WITNESS)]));
    expect(error.code).toBe('NOTE.BAD_SIGNATURE');
    expect(error.evidence['name']).toBe(WITNESS.name);
  });

  it('given a note text with an empty line, when opened, then the signatures start after the last blank line (C2SP allows it)', () => {
    // signNote never produces such a text, but other signers may, so openNote accepts it.
    const text = 'first\n\nthird\n';
    const signature = LOG.sign(Buffer.from(text, 'utf8'));
    const line = `— ${LOG.name} ${Buffer.concat([verifierOf(LOG).keyId, signature]).toString('base64')}\n`;
    expect(openNote(`${text}\n${line}`, [verifierOf(LOG)])).toEqual({ body: text, verifiedBy: [LOG.name] });
  });

  it.each([
    ['an empty body', ''],
    ['no final newline', 'origin\n42'],
    ['an empty line', 'origin\n\n42\n'],
    ['a leading empty line', '\norigin\n'],
    ['a control character', 'origin\r\n42\n'],
    ['a lone surrogate', 'origin\ud800\n'],
  ])('given %s, when signing, then the body is refused', (_, body) => {
    expect(thrownBy(NoteError, () => signNote(body, [LOG])).code).toBe('NOTE.MALFORMED');
  });

  it('given no signers, when signing, then it is refused', () => {
    expect(thrownBy(NoteError, () => signNote(BODY, [])).code).toBe('NOTE.MALFORMED');
  });

  it('given a signer whose public key does not match its private key, when signing, then it fails before publishing', () => {
    const mismatched: NoteSigner = { name: LOG.name, publicKey: WITNESS.publicKey, sign: (m) => LOG.sign(m) };
    const error = thrownBy(NoteError, () => signNote(BODY, [mismatched]));
    expect(error.code).toBe('NOTE.BAD_SIGNER');
    expect(error.evidence['publicKey']).toBe(WITNESS.publicKey.toString('hex'));
  });

  it('given invalid signer names or keys, when a signer is made, then it is refused', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(thrownBy(NoteError, () => ed25519Signer('has space', privateKey)).code).toBe('NOTE.BAD_SIGNER');
    expect(thrownBy(NoteError, () => ed25519Signer('has+plus', privateKey)).code).toBe('NOTE.BAD_SIGNER');
    expect(thrownBy(NoteError, () => ed25519Signer('', privateKey)).code).toBe('NOTE.BAD_SIGNER');
    expect(thrownBy(NoteError, () => ed25519Signer('public', publicKey)).code).toBe('NOTE.BAD_SIGNER');
    expect(thrownBy(NoteError, () => ed25519Signer('ec', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)).code).toBe(
      'NOTE.BAD_SIGNER',
    );
  });

  it('given a verifier whose key ID is not derived from its name and key, when opening, then the configuration is refused', () => {
    const note = signNote(BODY, [LOG]);
    const error = thrownBy(NoteError, () => openNote(note, [{ ...verifierOf(LOG), keyId: Buffer.from('00000000', 'hex') }]));
    expect(error.code).toBe('NOTE.BAD_VERIFIER_KEY');
  });
});
