import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parseCheckpoint, type Checkpoint } from './checkpoint';
import { sha256 } from './hashing';
import { isValidNoteKeyName, NoteError, parseNote, type NoteSigner } from './signed-note';
import { decodeStrictBase64 } from './strict-base64';

// C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519 `cosignature/v1` type:
// a witness's note signature line on a checkpoint, whose signature bytes are
//
//   u64 big-endian POSIX timestamp || Ed25519 signature over
//   "cosignature/v1\ntime <timestamp>\n" || <checkpoint body, final newline included>
//
// and whose key ID is SHA-256(name || "\n" || 0x04 || public key)[:4]. The signature type 0x04
// keeps a witness key distinct from a log key (0x01): a cosignature can never pass for a log
// signature, nor the other way round.

/** Signature type byte of Ed25519 cosignature/v1 in key IDs and verifier keys. */
const ALG_COSIGNATURE_V1 = 0x04;
const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const TIMESTAMP_SIZE = 8;
const SIGNATURE_PREFIX = '\u2014 ';
/** C2SP: the timestamp MUST NOT exceed 2^63 - 1; kept to safe integers here (year 285 million). */
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** A witness's public identity, as `parseWitnessVerifierKey` returns it. */
export interface WitnessKey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

/** A cosignature that verified: who, and the time the witness put in it (POSIX seconds). */
export interface VerifiedCosignature {
  readonly name: string;
  readonly keyId: string;
  readonly timestamp: number;
}

/** Why a cosignature line by a trusted witness (matching name and key ID) was rejected. */
export interface BadCosignature {
  readonly name: string;
  readonly keyId: string;
  readonly reason: string;
  readonly line: number;
}

/** The cosignature/v1 key ID: SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4]. */
export function cosignatureKeyId(name: string, publicKey: Buffer): Buffer {
  return sha256(Buffer.from(name, 'utf8'), Buffer.of(0x0a, ALG_COSIGNATURE_V1), publicKey).subarray(0, 4);
}

/**
 * The witness verifier key string `<name>+<8 hex key ID>+<base64(0x04 || public key)>` (C2SP
 * signed-note vkey with signature type 0x04). Throws `NOTE.BAD_VERIFIER_KEY` for an invalid name
 * or a key that is not 32 bytes.
 */
export function witnessVerifierKeyString(name: string, publicKey: Buffer): string {
  if (!isValidNoteKeyName(name) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new NoteError('NOTE.BAD_VERIFIER_KEY', `Bad witness key ${name}: invalid name or a key that is not 32 bytes`, {
      name,
      publicKey: publicKey.toString('hex'),
    });
  }
  const encoded = Buffer.concat([Buffer.of(ALG_COSIGNATURE_V1), publicKey]).toString('base64');
  return `${name}+${cosignatureKeyId(name, publicKey).toString('hex')}+${encoded}`;
}

/**
 * Parses a witness verifier key string (the inverse of `witnessVerifierKeyString`), strictly:
 * canonical base64, type byte 0x04, a valid 32-byte Ed25519 key, a key ID derived from name and
 * key. Throws `NOTE.BAD_VERIFIER_KEY` with the reason (a log key, type 0x01, is refused by name).
 */
export function parseWitnessVerifierKey(text: string): WitnessKey {
  const bad = (reason: string) => new NoteError('NOTE.BAD_VERIFIER_KEY', `Bad witness key: ${reason}`, { key: text, reason });
  // The base64 key may itself contain "+": split at the first two only.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw bad('expected <name>+<key ID>+<key>');
  const [name, keyIdHex, encoded] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  if (!isValidNoteKeyName(name)) throw bad('key name is empty or has a space or "+"');
  if (!/^[0-9a-f]{8}$/i.test(keyIdHex)) throw bad('key ID is not 8 hex digits');
  const key = decodeStrictBase64(encoded);
  if (key === undefined || key.length === 0) throw bad('key is not canonical base64');
  if (key[0] === 0x01) throw bad('this is a log key (signature type 0x01), not a witness cosignature/v1 key (0x04)');
  if (key[0] !== ALG_COSIGNATURE_V1) throw bad(`signature type 0x${key[0]!.toString(16).padStart(2, '0')} is not cosignature/v1 (0x04)`);
  const publicKey = Buffer.from(key.subarray(1));
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw bad(`Ed25519 key is ${publicKey.length} bytes, not 32`);
  const keyId = Buffer.from(keyIdHex, 'hex');
  const derived = cosignatureKeyId(name, publicKey);
  if (!keyId.equals(derived)) throw bad(`key ID ${keyIdHex} is not ${derived.toString('hex')}, derived from name and key`);
  if (toKeyObject(publicKey) === undefined) throw bad('not a valid Ed25519 public key');
  return { name, keyId, publicKey };
}

/** The bytes a cosignature/v1 signs: the two header lines, then the checkpoint body. */
export function cosignedMessage(checkpointBody: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`, 'utf8');
}

/**
 * The cosignature line (`— <name> <base64>\n`) of `signer` over a checkpoint body at
 * `timestamp` (POSIX seconds, a non-negative safe integer). The body MUST parse as a checkpoint
 * (`CHECKPOINT.MALFORMED` otherwise): a witness states something about a checkpoint, never about
 * arbitrary text. The signature is checked against the signer's own key before it is returned.
 */
export function cosignCheckpoint(checkpointBody: string, signer: NoteSigner, timestamp: number): string {
  parseCheckpoint(checkpointBody);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new NoteError('NOTE.BAD_SIGNER', `Cosignature timestamp ${timestamp} is not a non-negative integer`, { timestamp });
  }
  const message = cosignedMessage(checkpointBody, timestamp);
  const signature = signer.sign(message);
  const key = toKeyObject(signer.publicKey);
  if (signature.length !== ED25519_SIGNATURE_SIZE || key === undefined || !verify(null, message, key, signature)) {
    throw new NoteError('NOTE.BAD_SIGNER', `Witness ${signer.name} produced a cosignature its public key does not verify`, {
      name: signer.name,
    });
  }
  const time = Buffer.alloc(TIMESTAMP_SIZE);
  time.writeBigUInt64BE(BigInt(timestamp));
  const keyId = cosignatureKeyId(signer.name, signer.publicKey);
  return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyId, time, signature]).toString('base64')}\n`;
}

/**
 * Checks the cosignatures on a checkpoint note against the trusted witness keys. Lines whose name
 * and key ID match no witness (the log's own signature, unknown witnesses) are ignored, as C2SP
 * requires. Returns, per witness, the cosignatures that verified (at most one counted per
 * witness: the newest) and those that did not, with the reason: a wrong length, a timestamp
 * beyond 2^53 - 1, or a signature that fails. Pure: reads no clock (callers MAY reject
 * timestamps in the future). Throws `NOTE.MALFORMED` only when the note itself is malformed.
 */
export function checkCosignatures(
  note: string,
  witnesses: readonly WitnessKey[],
): { body: string; valid: VerifiedCosignature[]; bad: BadCosignature[] } {
  const { body, signatures } = parseNote(note);
  const valid = new Map<string, VerifiedCosignature>();
  const bad: BadCosignature[] = [];
  for (const line of signatures) {
    const witness = witnesses.find((w) => w.name === line.name && w.keyId.equals(line.keyId));
    if (witness === undefined) continue;
    const keyId = line.keyId.toString('hex');
    const reject = (reason: string) => bad.push({ name: line.name, keyId, reason, line: line.line });
    if (line.signature.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE) {
      reject(`a cosignature/v1 is ${TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE} bytes after the key ID, this one ${line.signature.length}`);
      continue;
    }
    const time = line.signature.readBigUInt64BE(0);
    if (time > BigInt(MAX_TIMESTAMP)) {
      reject(`timestamp ${time} is out of range`);
      continue;
    }
    const timestamp = Number(time);
    const key = toKeyObject(witness.publicKey);
    if (key === undefined || !verify(null, cosignedMessage(body, timestamp), key, line.signature.subarray(TIMESTAMP_SIZE))) {
      reject(`the cosignature (time ${timestamp}) does not verify over this checkpoint`);
      continue;
    }
    const previous = valid.get(witness.name);
    if (previous === undefined || previous.timestamp < timestamp) valid.set(witness.name, { name: witness.name, keyId, timestamp });
  }
  return { body, valid: [...valid.values()], bad };
}

/** A checkpoint note with extra signature lines (cosignatures) appended after its own. */
export function appendSignatureLines(note: string, lines: readonly string[]): string {
  const present = new Set(note.split('\n'));
  return (
    note +
    lines
      .filter((line) => !present.has(line.replace(/\n$/, '')))
      .map((line) => (line.endsWith('\n') ? line : `${line}\n`))
      .join('')
  );
}

/** The checkpoint a cosigned note commits to (its body parsed; no signature checked). */
export function checkpointOfNote(note: string): Checkpoint {
  return parseCheckpoint(parseNote(note).body);
}

function toKeyObject(publicKey: Buffer): KeyObject | undefined {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}
