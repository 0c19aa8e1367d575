import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from './hashing';
import { decodeStrictBase64 } from './strict-base64';

// C2SP signed-note (https://c2sp.org/signed-note), Ed25519 signature type 0x01 only:
//
//   <text, every line ending in "\n">
//   <blank line>
//   — <key name> <base64(4-byte key ID || Ed25519 signature over the text bytes)>\n   (one or more)
//
// Compatible with golang.org/x/mod/sumdb/note: its published PeterNeumann note round-trips here
// byte for byte (see signed-note.unit.test.ts).

/** Signature type byte of Ed25519 in signed-note key IDs and verifier keys. */
const ALG_ED25519 = 0x01;
const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
/** U+2014 EM DASH, then a space: the start of every signature line. */
const SIGNATURE_PREFIX = '\u2014 ';
/** C2SP: verifiers MUST accept at least 16; golang.org/x/mod/sumdb/note stops at 100. */
const MAX_SIGNATURES = 100;

/**
 * A signed-note, checkpoint or verifier-key failure. `code` is stable; `evidence` says where
 * (line, key name, key ID, the text involved) so the failure can be reported without re-parsing.
 *
 * - `NOTE.MALFORMED`: not a signed note (no blank line, bad signature line, bad base64, control
 *   characters, too many signatures) or an unsignable body.
 * - `NOTE.NO_TRUSTED_SIGNATURE`: well formed, but no signature is by a given verifier key.
 * - `NOTE.BAD_SIGNATURE`: a signature by a given verifier key does not verify.
 * - `NOTE.BAD_VERIFIER_KEY`: a verifier key string or verifier that is not a valid Ed25519 key.
 * - `NOTE.BAD_SIGNER`: a signer with an invalid name, or whose signature does not verify under its
 *   own public key.
 * - `CHECKPOINT.MALFORMED`: a checkpoint body or value that breaks c2sp.org/tlog-checkpoint.
 * - `CHECKPOINT.ORIGIN_MISMATCH`: a valid checkpoint from another log than the one expected.
 */
export class NoteError extends Error {
  override readonly name = 'NoteError';

  constructor(
    readonly code:
      | 'NOTE.MALFORMED'
      | 'NOTE.NO_TRUSTED_SIGNATURE'
      | 'NOTE.BAD_SIGNATURE'
      | 'NOTE.BAD_VERIFIER_KEY'
      | 'NOTE.BAD_SIGNER'
      | 'CHECKPOINT.MALFORMED'
      | 'CHECKPOINT.ORIGIN_MISMATCH',
    message: string,
    readonly evidence: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Something that signs note texts with one Ed25519 key. `name` MUST be a valid key name
 * (non-empty, no Unicode spaces, no `+`); `publicKey` is the raw 32-byte Ed25519 public key
 * matching the private key `sign` uses; `sign` returns the 64-byte RFC 8032 signature of
 * `message`. Keys come from configuration (or a KMS behind this interface), never from source.
 */
export interface NoteSigner {
  readonly name: string;
  readonly publicKey: Buffer;
  sign(message: Buffer): Buffer;
}

/**
 * A `NoteSigner` over a node:crypto Ed25519 private `KeyObject`. Throws `NOTE.BAD_SIGNER` if the
 * key is not an Ed25519 private key or the name is not a valid key name.
 */
export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) {
    throw new NoteError('NOTE.BAD_SIGNER', `Key name ${JSON.stringify(name)} is empty or has a space or "+"`, { name });
  }
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new NoteError('NOTE.BAD_SIGNER', `Signer ${name} needs an Ed25519 private key`, {
      name,
      keyType: privateKey.type,
      algorithm: privateKey.asymmetricKeyType,
    });
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x ?? '', 'base64url');
  return {
    name,
    publicKey,
    sign: (message: Buffer) => sign(null, message, privateKey),
  };
}

/**
 * The signed-note key ID of an Ed25519 key: the first 4 bytes of
 * SHA-256(name || 0x0A || 0x01 || 32-byte public key). Does not validate its inputs.
 */
export function ed25519KeyId(name: string, publicKey: Buffer): Buffer {
  return sha256(Buffer.from(name, 'utf8'), Buffer.of(0x0a, ALG_ED25519), publicKey).subarray(0, KEY_ID_SIZE);
}

/**
 * The verifier key string `<name>+<8 lowercase hex key ID>+<base64(0x01 || public key)>`, as
 * golang.org/x/mod/sumdb/note and witnesses read it. Throws `NOTE.BAD_VERIFIER_KEY` for an
 * invalid name or a public key that is not 32 bytes.
 */
export function verifierKeyString(name: string, publicKey: Buffer): string {
  assertVerifier(name, publicKey, undefined, { name, publicKey: publicKey.toString('hex') });
  const encoded = Buffer.concat([Buffer.of(ALG_ED25519), publicKey]).toString('base64');
  return `${name}+${ed25519KeyId(name, publicKey).toString('hex')}+${encoded}`;
}

/**
 * Parses a verifier key string (the inverse of `verifierKeyString`). Strict: no surrounding
 * whitespace, canonical base64, algorithm byte 0x01, a 32-byte key, and a key ID equal to the one
 * derived from name and key. Throws `NOTE.BAD_VERIFIER_KEY` with the reason.
 */
export function parseVerifierKey(text: string): { name: string; keyId: Buffer; publicKey: Buffer } {
  const bad = (reason: string) => new NoteError('NOTE.BAD_VERIFIER_KEY', `Bad verifier key: ${reason}`, { key: text, reason });
  const [name, rest] = chop(text, '+');
  const [keyIdHex, encoded] = chop(rest ?? '', '+');
  if (rest === undefined || encoded === undefined) throw bad('expected <name>+<key ID>+<key>');
  if (!isValidKeyName(name)) throw bad('key name is empty or has a space or "+"');
  if (!/^[0-9a-fA-F]{8}$/.test(keyIdHex)) throw bad('key ID is not 8 hex digits');
  const key = decodeStrictBase64(encoded);
  if (key === undefined || key.length === 0) throw bad('key is not canonical base64');
  if (key[0] !== ALG_ED25519) throw bad(`algorithm byte 0x${key[0]!.toString(16).padStart(2, '0')} is not Ed25519 (0x01)`);
  const publicKey = key.subarray(1);
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw bad(`Ed25519 key is ${publicKey.length} bytes, not 32`);
  const keyId = Buffer.from(keyIdHex, 'hex');
  const derived = ed25519KeyId(name, publicKey);
  if (!keyId.equals(derived)) throw bad(`key ID ${keyIdHex} is not ${derived.toString('hex')}, derived from name and key`);
  if (toKeyObject(publicKey) === undefined) throw bad('not a valid Ed25519 public key');
  return { name, keyId, publicKey: Buffer.from(publicKey) };
}

/**
 * Signs `body` with every signer, in order, and returns the note: body, blank line, one
 * signature line per signer. `body` MUST be non-empty UTF-8 text ending in "\n" with no empty
 * line and no control characters other than "\n" (else `NOTE.MALFORMED`); at least one signer is
 * required. Each signature is checked against the signer's own `publicKey` before it is emitted,
 * so a misconfigured signer fails here (`NOTE.BAD_SIGNER`) instead of publishing a note nobody
 * can verify.
 */
export function signNote(body: string, signers: readonly NoteSigner[]): string {
  const problem = bodyProblem(body);
  if (problem !== undefined) throw new NoteError('NOTE.MALFORMED', `Cannot sign this body: ${problem}`, { body, reason: problem });
  if (signers.length === 0) throw new NoteError('NOTE.MALFORMED', 'A signed note needs at least one signature', { body });
  const message = Buffer.from(body, 'utf8');
  const lines = signers.map((signer) => {
    if (!isValidKeyName(signer.name) || signer.publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
      throw new NoteError('NOTE.BAD_SIGNER', `Signer ${JSON.stringify(signer.name)} has an invalid name or public key`, {
        name: signer.name,
        publicKey: signer.publicKey.toString('hex'),
      });
    }
    const keyId = ed25519KeyId(signer.name, signer.publicKey);
    const signature = signer.sign(message);
    const key = toKeyObject(signer.publicKey);
    if (signature.length !== ED25519_SIGNATURE_SIZE || key === undefined || !verify(null, message, key, signature)) {
      throw new NoteError('NOTE.BAD_SIGNER', `Signer ${signer.name} produced a signature its public key does not verify`, {
        name: signer.name,
        keyId: keyId.toString('hex'),
        publicKey: signer.publicKey.toString('hex'),
        signature: signature.toString('base64'),
      });
    }
    return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/**
 * Opens a signed note: parses it, verifies every signature whose (name, key ID) matches one of
 * `verifiers`, and returns the body (the text including its final newline) with the names of
 * the verifiers whose signatures verified, in note order, each once.
 *
 * Signatures by unknown keys (name or key ID not both matching) are ignored: that is how witness
 * cosignatures and key rotation coexist. A signature by a known key that fails to verify rejects
 * the whole note (C2SP SHOULD; golang.org/x/mod/sumdb/note does the same), because it means the
 * text or signature was altered.
 *
 * Throws `NoteError`: `NOTE.MALFORMED` (with the reason and line), `NOTE.BAD_SIGNATURE` (with the
 * key and signature), `NOTE.NO_TRUSTED_SIGNATURE` (with the keys seen and the keys trusted), or
 * `NOTE.BAD_VERIFIER_KEY` when a verifier's key ID is not derived from its name and key.
 */
export function openNote(
  note: string,
  verifiers: ReadonlyArray<{ name: string; keyId: Buffer; publicKey: Buffer }>,
): { body: string; verifiedBy: string[] } {
  const trusted = verifiers.map((v) => {
    const evidence = { name: v.name, keyId: v.keyId.toString('hex'), publicKey: v.publicKey.toString('hex') };
    return { ...v, key: assertVerifier(v.name, v.publicKey, v.keyId, evidence) };
  });
  for (const a of trusted) {
    for (const b of trusted) {
      if (a.name === b.name && a.keyId.equals(b.keyId) && !a.publicKey.equals(b.publicKey)) {
        throw new NoteError(
          'NOTE.BAD_VERIFIER_KEY',
          `Two different verifier keys share name and key ID ${a.name}+${a.keyId.toString('hex')}`,
          {
            name: a.name,
            keyId: a.keyId.toString('hex'),
            publicKeys: [a.publicKey.toString('hex'), b.publicKey.toString('hex')],
          },
        );
      }
    }
  }

  const { body, signatures } = parseNote(note);
  const message = Buffer.from(body, 'utf8');
  const verifiedBy: string[] = [];
  for (const { name, keyId, signature, line } of signatures) {
    const verifier = trusted.find((v) => v.name === name && v.keyId.equals(keyId));
    if (verifier === undefined) continue;
    if (signature.length !== ED25519_SIGNATURE_SIZE || !verify(null, message, verifier.key, signature)) {
      throw new NoteError('NOTE.BAD_SIGNATURE', `Signature by ${name}+${keyId.toString('hex')} does not verify`, {
        line,
        text: `${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyId, signature]).toString('base64')}`,
        name,
        keyId: keyId.toString('hex'),
        publicKey: verifier.publicKey.toString('hex'),
        signature: signature.toString('base64'),
        body,
      });
    }
    if (!verifiedBy.includes(name)) verifiedBy.push(name);
  }
  const seen = signatures.map((s) => ({ name: s.name, keyId: s.keyId.toString('hex') }));
  if (verifiedBy.length === 0) {
    throw new NoteError('NOTE.NO_TRUSTED_SIGNATURE', 'No signature on the note is by a trusted key', {
      signatures: seen,
      trusted: trusted.map((v) => ({ name: v.name, keyId: v.keyId.toString('hex') })),
      body,
    });
  }
  return { body, verifiedBy };
}

/** One signature line of a note, split but not verified. `line` counts from 1 within the signature block. */
export interface NoteSignatureLine {
  readonly name: string;
  readonly keyId: Buffer;
  readonly signature: Buffer;
  readonly line: number;
}

/**
 * Splits a signed note into its body (including the final newline) and its signature lines,
 * checking only the form (C2SP signed-note): no control characters, a blank line before the
 * signatures, each line `— <name> <canonical base64 of key ID and signature>`, at most 100.
 * Verifies nothing: callers that trust a key use `openNote`, or check cosignatures over the body.
 * Throws `NOTE.MALFORMED` with the reason and line.
 */
export function parseNote(note: string): { body: string; signatures: NoteSignatureLine[] } {
  const malformed = (reason: string, extra: Record<string, unknown> = {}) =>
    new NoteError('NOTE.MALFORMED', `Malformed note: ${reason}`, { reason, ...extra });
  const characterProblem = textProblem(note);
  if (characterProblem !== undefined) throw malformed(characterProblem);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformed('the signature block is empty or does not end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`, { signatures: lines.length });
  const signatures = lines.map((text, i) => {
    const where = { line: i + 1, text };
    if (!text.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line does not start with an em dash (U+2014) and a space', where);
    const [name, encoded] = chop(text.slice(SIGNATURE_PREFIX.length), ' ');
    if (!isValidKeyName(name)) throw malformed('a signature line has an invalid key name', where);
    const bytes = decodeStrictBase64(encoded ?? '');
    if (bytes === undefined || bytes.length <= KEY_ID_SIZE) {
      throw malformed('a signature is not canonical base64 of a key ID and a signature', where);
    }
    return { name, keyId: bytes.subarray(0, KEY_ID_SIZE), signature: bytes.subarray(KEY_ID_SIZE), line: i + 1 };
  });
  return { body, signatures };
}

/** Whether `name` is a valid signed-note key name (non-empty, no Unicode space, no "+"). */
export function isValidNoteKeyName(name: string): boolean {
  return isValidKeyName(name);
}

// ---- internals ---------------------------------------------------------------------------------

/** C2SP key names: non-empty, no Unicode spaces (including U+0085, as Go's unicode.IsSpace), no "+". */
function isValidKeyName(name: string): boolean {
  return name !== '' && !/[\s\u0085+]/u.test(name) && textProblem(name) === undefined;
}

/** Why `text` cannot appear in a signed note (control characters, lone surrogates), if it cannot. */
function textProblem(text: string): string | undefined {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return 'it contains a control character other than newline';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return 'it is not valid Unicode';
  return undefined;
}

function bodyProblem(body: string): string | undefined {
  if (body === '' || !body.endsWith('\n')) return 'it must end with a newline';
  if (body.startsWith('\n') || body.includes('\n\n')) return 'it must not contain an empty line';
  return textProblem(body);
}

/** Validates a verifier and returns its node:crypto key; throws `NOTE.BAD_VERIFIER_KEY`. */
function assertVerifier(name: string, publicKey: Buffer, keyId: Buffer | undefined, evidence: Record<string, unknown>): KeyObject {
  const bad = (reason: string) => new NoteError('NOTE.BAD_VERIFIER_KEY', `Bad verifier key ${name}: ${reason}`, { ...evidence, reason });
  if (!isValidKeyName(name)) throw bad('key name is empty or has a space or "+"');
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw bad(`Ed25519 key is ${publicKey.length} bytes, not 32`);
  if (keyId !== undefined && !keyId.equals(ed25519KeyId(name, publicKey))) throw bad('key ID is not derived from name and key');
  const key = toKeyObject(publicKey);
  if (key === undefined) throw bad('not a valid Ed25519 public key');
  return key;
}

function toKeyObject(publicKey: Buffer): KeyObject | undefined {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Splits at the first `separator`: [before, after], or [text, undefined] when it is absent. */
function chop(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}
